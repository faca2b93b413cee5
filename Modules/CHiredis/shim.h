#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H
// hiredis (Debian libhiredis-dev): the reply types and the asynchronous API, whose event hooks ChatRedis plugs
// into our own select() loop. Everything it needs imports as it is, so this header only includes.
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#endif
