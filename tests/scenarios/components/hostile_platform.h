/*
 * The platform's part of the hostile probe (hostile_probe.c), whose
 * reports are the same on both: hostile_linux.c or hostile_riscv.c. Each
 * function tries to hold more than the domain's quota in one form and
 * logs what it got (hostile_probe.c lists the lines); a form the
 * platform does not have logs that there is nothing to try.
 */
#ifndef HOSTILE_PLATFORM_H
#define HOSTILE_PLATFORM_H

#include <runtime/env.h>

/* A memory file outside the quota ("memfd: ..."). */
void hostile_memfd(env_t *env);
/* `count` threads that sleep for good ("threads: N started, ..."). */
void hostile_threads(env_t *env, int count);
/* `count` socket pairs with full buffers ("socketpairs: ..."). */
void hostile_socketpairs(env_t *env, int count);
/* `mib` MiB of shared memory, every page touched ("shared: ..."). */
void hostile_shared(env_t *env, int mib);

#endif
