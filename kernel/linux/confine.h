/*
 * Confinement of a new protection domain (see confine.c): prepared once in
 * the creating process, applied by the forked child before it executes the
 * component image.
 */
#ifndef KERNEL_LINUX_CONFINE_H
#define KERNEL_LINUX_CONFINE_H

#include <stddef.h>
#include <kernel/kernel.h>

/* Builds the seccomp program and the Landlock ruleset, once per process.
 * 0, or KERR_DENIED where this kernel cannot confine (no Landlock). */
int confine_prepare(void);

/* Descriptors a domain may hold at once (RLIMIT_NOFILE): with them, the
 * sockets and so the socket buffers it can hold are bounded (their memory
 * is bounded by its memory cgroup, memcg.h, where there is one). */
#define CONFINE_MAX_DESCRIPTORS 1024

/* The Landlock ruleset's descriptor, for the child to keep until
 * confine_apply() (after confine_prepare() succeeded). */
int confine_ruleset(void);

/* In the forked child, after confine_prepare() succeeded in the parent
 * and once its descriptors are in place (none at or above
 * CONFINE_MAX_DESCRIPTORS): limits, no_new_privs, Landlock with the
 * ruleset at descriptor `ruleset` (closed then), seccomp. Only raw system
 * calls, so it is safe after fork() in a multi-threaded process. 0 or -1
 * (errno set). */
int confine_apply(size_t ram_limit, int ruleset);

#endif
