/*
 * A core service: the shape every service of core has (PD, ROM, RM, CPU,
 * LOG and the device services). A service has a root object (root.rpc)
 * through which sessions are opened, upgraded and closed, and one RPC
 * object per session, all served by core's entrypoint, so no service needs
 * a lock.
 *
 * A session request is handled in two steps, decode then invoke:
 * core_service_open() parses and checks the common arguments (label,
 * ram_quota of at least CORE_SESSION_RAM_MIN, cap_quota of at least
 * CORE_SESSION_CAPS_MIN) and only then calls the service's `session`
 * operation. Core's parent object for init (init_parent.c) calls the same
 * functions directly, since it runs on the same entrypoint and must not
 * call its own thread.
 *
 * The donated quota is the parent's to account (it took it from the
 * client's PD and gives it back on close); the service checks that it
 * covers the session and keeps nothing of the client's beyond it.
 */
#ifndef CORE_SERVICE_H
#define CORE_SERVICE_H

#include <runtime/entrypoint.h>
#include <runtime/rpc.h>

#include "session_args.h"

#define CORE_SESSION_RAM_MIN  4096u
#define CORE_SESSION_CAPS_MIN 1u

struct core_service;

/* Operations return 0 or a ROOT_ERR_* (root.rpc); on refusal *why says
 * why in words. A session capability stays the service's: it is valid
 * until the session is closed. */
struct core_service_ops {
	int (*session)(struct core_service *svc, const struct session_args *args,
	               const char *raw_args, kcap_t *cap, const char **why);
	int (*upgrade)(struct core_service *svc, kcap_t session,
	               uint64_t ram, uint64_t caps);
	int (*close)(struct core_service *svc, kcap_t session);
};

struct core_service {
	rpc_object_t                   root;   /* root.rpc; first member */
	const char                    *name;   /* "PD", "LOG", ... */
	const struct core_service_ops *ops;
	entrypoint_t                  *ep;
	kcap_t                         root_cap;
};

/* Serves the root object of `svc` on `ep`. */
int core_service_init(struct core_service *svc, entrypoint_t *ep,
                      const char *name, const struct core_service_ops *ops);
void core_service_dissolve(struct core_service *svc);

/* Decodes and checks `raw_args`, then opens a session. */
int core_service_open(struct core_service *svc, const char *raw_args,
                      kcap_t *cap, const char **why);

/* Upgrade by an argument string "ram_quota=N, cap_quota=N". */
int core_service_upgrade(struct core_service *svc, kcap_t session,
                         const char *raw_args);

int core_service_close(struct core_service *svc, kcap_t session);

/* The session object behind `cap` if it is one of `iface` served on `ep`,
 * else NULL. */
rpc_object_t *core_session_lookup(entrypoint_t *ep, kcap_t cap,
                                  const rpc_interface_t *iface);

#endif
