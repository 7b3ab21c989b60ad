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

/* In the forked child, after confine_prepare() succeeded in the parent:
 * limits, no_new_privs, Landlock, seccomp. Only raw system calls, so it is
 * safe after fork() in a multi-threaded process. 0 or -1 (errno set). */
int confine_apply(size_t ram_limit);

#endif
