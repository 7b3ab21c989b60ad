/*
 * Core's PD service: protection domains and their quota pools.
 *
 * A PD session is a RAM and capability quota pool, and once start() ran,
 * the protection domain that runs a program in it (kpd_create). The pool
 * counts the RAM dataspaces allocated from it and the quota withdrawn
 * from it to pay for sessions; quota moves between pools with
 * transfer_quota. While the domain runs, its private-memory limit
 * (kpd_set_ram_limit) is kept equal to the pool's RAM limit, so the quota
 * is enforced twice, as core/README.md says.
 *
 * Invariant (kept by every operation, checked before it acts):
 *   ram_used <= ram_limit and cap_used <= cap_limit; the pool's RAM
 *   dataspaces are part of what is used (their bytes of ram_used, one
 *   cap each of cap_used). pd_service.c asserts it (INVARIANT) wherever
 *   a count or a limit changes.
 */
#ifndef CORE_PD_SERVICE_H
#define CORE_PD_SERVICE_H

#include <kernel/pd.h>

#include "domain_output.h"
#include "core_service.h"
#include "core_platform.h"

struct pd_session;

struct pd_service {
	struct root_component base;
	struct target *target;
	/* reads every domain's stdout and stderr into the log */
	struct domain_output *output;
};

int pd_service_init(struct pd_service *s, entrypoint_t *ep,
                    struct target *target);
/* Ends every domain, logs what their stdout and stderr still held, and
 * frees every pool. */
void pd_service_dissolve(struct pd_service *s);

/* Creates a pool with the given quota (what root.session does, and how
 * core makes init's PD). 0 or a ROOT_ERR_*. */
int pd_session_create(struct pd_service *s, const char *label, uint64_t ram,
                      uint64_t caps, struct pd_session **out);

kcap_t pd_session_cap(const struct pd_session *session);

/* The PD session behind `cap` if it is one of this core's, else NULL. */
struct pd_session *pd_service_lookup(struct pd_service *s, kcap_t cap);

/* Takes quota out of the pool (to pay for a session) or puts it back.
 * withdraw: 0, PD_ERR_OUT_OF_RAM or PD_ERR_OUT_OF_CAPS. */
int pd_session_withdraw(struct pd_session *session, uint64_t ram,
                        uint64_t caps);
void pd_session_deposit(struct pd_session *session, uint64_t ram,
                        uint64_t caps);

/* Runs the ELF image `elf` in the domain with `parent` as its
 * kboot_cap(0), its stdout and stderr read into the log under the
 * session's label (domain_output.h). 0 or a PD_ERR_*. Call it on the entrypoint (see
 * on_entrypoint.h): the new domain's first requests must find the
 * session complete. */
int pd_session_start(struct pd_session *session, kcap_t elf, kcap_t parent);

/* The running domain, or NULL before start() and after it ended. */
kpd_t *pd_session_domain(struct pd_session *session);

/* Calls fn(arg, state, code) on the entrypoint when the domain ends, after
 * core has reported it and submitted the session's exit signal. */
void pd_session_on_exit(struct pd_session *session,
                        void (*fn)(void *arg, enum kpd_state state, int code),
                        void *arg);

#endif
