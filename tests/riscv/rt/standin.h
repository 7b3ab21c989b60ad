/*
 * PD, CPU and LOG of one child as the riscv suite's stand-in roots serve
 * them (tests/riscv/rt/core.c, rt/devroot.c; standin.c): RAM dataspaces
 * as plain memory objects, thread ids counted up, log lines printed with
 * the child's name. No quotas are kept: enough of core for components to
 * start, not core.
 */
#ifndef RT_STANDIN_H
#define RT_STANDIN_H

#include <runtime/entrypoint.h>

#include <stdint.h>

#define STANDIN_DATASPACES 16   /* RAM dataspaces, per child */
#define STANDIN_FIRST_OTHER 4u   /* session ids 1..3: the child's PD, CPU, LOG */

struct standin_basics {
	const char *name; /* the child's, for its log lines */
	rpc_object_t pd, cpu, log;
	kcap_t pd_cap, cpu_cap, log_cap;
	kcap_t dataspaces[STANDIN_DATASPACES];
	uint32_t threads;
};

/* Serves b's PD, CPU and LOG on `services` as `name`'s; 0 or a KERR_*. */
int standin_basics_serve(struct standin_basics *b, const char *name,
                         entrypoint_t *services);

/* The id of the child's own session of `service` (PD, CPU or LOG: 1..3),
 * 0 for any other service. */
uint32_t standin_own_session(const char *service);

/* The capability of own session `id` (1..3); 0, or -1 for another id. */
int standin_own_cap(const struct standin_basics *b, uint32_t id, kcap_t *cap);

#endif
