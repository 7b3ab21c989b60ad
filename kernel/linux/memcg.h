/*
 * A memory cgroup per protection domain (see memcg.c): the bound on all
 * the memory a domain makes the kernel hold for it, where RLIMIT_DATA
 * counts only its private mappings. Prepared once per creating process,
 * created by kpd_create() before the fork, joined by the child before it
 * executes the image, removed when the domain has ended.
 */
#ifndef KERNEL_LINUX_MEMCG_H
#define KERNEL_LINUX_MEMCG_H

#include <stddef.h>

/* What a domain's memory cgroup allows beyond its RAM limit: the kernel's
 * own memory for it (page tables, kernel stacks of its threads, socket
 * objects), and pages of shared dataspaces it touched first. */
#define MEMCG_MARGIN ((size_t)16 << 20)
/* Tasks (threads) per domain. */
#define MEMCG_MAX_TASKS 256

struct memcg {
	int dir_fd;      /* memory (and, with cgroup v2, pids) cgroup, or -1 */
	int pids_fd;     /* cgroup v1 pids cgroup, or -1 */
	int procs_fd[2]; /* their cgroup.procs, for the child to join; -1 */
	char name[32];
};

/* Which bound applies to the memory of domains, or why none does (the
 * cgroups are found or made once, on first use). */
const char *memcg_mechanism(void);

/* A new cgroup for a domain with the RAM limit (plus MEMCG_MARGIN): 0,
 * also where no mechanism exists (m then holds no cgroup, and the domain
 * is bounded by its rlimits alone), or -1 where the cgroup could not be
 * made (nothing is left then). */
int memcg_create(struct memcg *m, size_t ram_limit);

/* In the forked child: joins the cgroups (raw system calls only). 0 or
 * -1. */
int memcg_join(const struct memcg *m);

/* In the creator, once the child has started: drops what only the child
 * needed to join. */
void memcg_joined(struct memcg *m);

/* Moves the limit with the domain's RAM limit. A lower limit than what
 * the domain holds now is kept as it was (the kernel cannot reclaim it):
 * 0 either way, -1 where the kernel refuses otherwise. */
int memcg_set_limit(const struct memcg *m, size_t ram_limit);

/* Whether the kernel killed a task of the cgroup for its limit. */
int memcg_oom_killed(const struct memcg *m);

/* Removes the cgroup of an ended domain (no task left in it). */
void memcg_remove(struct memcg *m);

#endif
