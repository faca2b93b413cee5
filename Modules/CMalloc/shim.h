#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
// Swift's Glibc module does not export <malloc.h>.
#include <malloc.h>
#include <stddef.h>

#if defined(__GLIBC__)
/// Wraps glibc's malloc_trim(3): returns freed heap pages to the kernel.
static inline int cmalloc_trim(size_t pad) { return malloc_trim(pad); }
#else
/// Other C libraries (Musl) have no malloc_trim(3): nothing to return, so nothing is trimmed.
static inline int cmalloc_trim(size_t pad) { (void)pad; return 0; }
#endif
#endif
