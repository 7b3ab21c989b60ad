/*
 * Core's CPU service: the threads of one protection domain. A session is
 * bound to a PD session of this core (bind_pd, or directly by core for
 * init); a thread is registered by its native id, which must name a
 * thread of that domain, and then its affinity and priority can be set.
 * The session's cap_quota bounds how many threads it may register.
 */
#ifndef CORE_CPU_SERVICE_H
#define CORE_CPU_SERVICE_H

#include "pd_service.h"
#include "core_service.h"

struct cpu_session;

struct cpu_service {
	struct root_component base;
	struct pd_service *pds;
};

int cpu_service_init(struct cpu_service *s, entrypoint_t *ep,
                     struct pd_service *pds);
void cpu_service_dissolve(struct cpu_service *s);

/* Binds the session behind `cap` to `pd` (what core does for init's own
 * CPU session). 0 or ROOT_ERR_UNKNOWN. */
int cpu_service_bind(struct cpu_service *s, kcap_t cap, struct pd_session *pd);

#endif
