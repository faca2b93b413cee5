#ifndef CSIGNAL_SHIM_H
#define CSIGNAL_SHIM_H
// Swift's Glibc module does not export <sys/signalfd.h>.
#include <signal.h>
#include <sys/signalfd.h>

/// Wraps signalfd(2) for a new descriptor, non-blocking and closed on exec.
static inline int csignal_open(const sigset_t *mask) { return signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC); }
#endif
