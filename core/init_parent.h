/*
 * Core as init's parent: the parent object (parent.rpc) init gets as its
 * kboot_cap(0). Core has no routing configuration: every session init
 * asks for goes to core's service of that name, labelled "init" (init's
 * own sessions) or "init -> <label>", with the quota paid from init's PD.
 *
 * Two answers are special:
 *   - PD with an empty label is init's own PD session (the pool init runs
 *     in), so init allocates from and transfers its own quota; nothing is
 *     paid for it;
 *   - ROM with the label "config" is DIR/config/init.config.
 * A CPU session with an empty label is bound to init's PD.
 *
 * Requests are answered at once (core's services never block), so the
 * session signal is submitted right after session() has filed the request.
 */
#ifndef CORE_INIT_PARENT_H
#define CORE_INIT_PARENT_H

#include "services.h"

#define INIT_CONFIG_MODULE "init.config"

struct init_request;

struct init_parent {
	rpc_object_t obj; /* first member */
	struct core_services *services;
	struct pd_session *pd; /* init's own PD session */
	kcap_t cap;
	kcap_t session_sigh;
	struct init_request *requests;
	uint32_t next_id;
};

/* Serves the parent object for init, whose PD session is `pd`. */
int init_parent_init(struct init_parent *p, struct core_services *services,
                     struct pd_session *pd);

/* Starts init, core's first child, on both platforms: a PD session
 * labelled "init" with `ram` and `caps` of quota, the parent object for
 * it (init_parent_init) and the program `image` in it (the caller keeps
 * the image's capability). `ended` runs on the entrypoint when init's
 * domain ends. Call it on the entrypoint, so that init's first requests
 * find its PD complete. 0, or -1 with the reason in core's log (nothing
 * of the parent left; the PD session goes with the services). `from`
 * ends the log line ("" or " from depot archive A"). */
int init_parent_start(struct init_parent *p, struct core_services *services,
                      kcap_t image, uint64_t ram, uint64_t caps,
                      const char *from,
                      void (*ended)(void *arg, enum kpd_state state, int code),
                      void *arg);

/* Closes every session init still has and revokes the parent object. */
void init_parent_dissolve(struct init_parent *p);

#endif
