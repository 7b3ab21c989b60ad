/*
 * Running a piece of core's work on core's entrypoint from another thread
 * (core's main thread at start-up and shut-down, benches and tests): the
 * entrypoint is where every service's state changes, so work done there
 * needs no locks and never races with a client's request, such as a new
 * domain's first calls racing with the code that started it.
 */
#ifndef CORE_ON_ENTRYPOINT_H
#define CORE_ON_ENTRYPOINT_H

#include <runtime/entrypoint.h>

/* Runs fn(arg) on `ep` and returns when it has run. Must not be called on
 * the entrypoint's own thread. 0, or a KERR_* (then fn did not run). */
int on_entrypoint(entrypoint_t *ep, void (*fn)(void *arg), void *arg);

#endif
