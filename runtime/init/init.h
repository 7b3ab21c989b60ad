/*
 * Init, the component that starts and connects the others (DESIGN.md, "The
 * running system"): it reads its config ROM (the runtime configuration of
 * format/runtime_config.h), validates all of it before anything starts,
 * starts the children in order with their quotas through runtime/child,
 * serves each its own "config" ROM, and routes every session request with
 * route.c. When the config ROM changes it applies the new config live
 * (DESIGN.md, "Dynamic reconfiguration"; the plan is reconfig.c's): new
 * entries start, removed ones are destroyed with their quota and sessions
 * reclaimed, a changed `config` reaches the child as a new ROM version, a
 * raised quota is moved to it, a lowered one taken back live
 * (downgrade.h), a changed binary/pkg/version restarts only that child,
 * and the others run on untouched. After
 * each applied config the open sessions whose route changed are closed
 * (child_broker_reroute); their clients open them anew along the new
 * routes. An invalid new config is refused as a whole and changes nothing.
 * While the running config has `report`, init writes its state report
 * (state_report.h) after changes, at most once per `delay_ms`.
 * Between configs, init supervises its children (supervise.c, heartbeat.c,
 * timed by ticker.c): a child that ends is restarted by its restart
 * policy, one that skips heartbeats may be restarted, and a child whose
 * quota ran out waits for a raised quota (its request is answered in
 * update_child).
 *
 * This header is private to init's program; init.c does the start-up and
 * the reconfiguration, init_policy.c answers the children (routing and
 * logging).
 */
#ifndef INIT_INIT_H
#define INIT_INIT_H

#include <stdbool.h>

#include <format/runtime_config.h>
#include <runtime/child.h>
#include <runtime/env.h>
#include <runtime/service.h>
#include <runtime/signal.h>

#include "child_state.h"
#include "config_rom.h"
#include "downgrade.h"
#include "heartbeat.h"
#include "init_pkg.h"
#include "reconfig.h"
#include "remote_route.h"
#include "state_report.h"
#include "supervise.h"
#include "ticker.h"

/* Deadline of a child's session request, and of init's own requests. */
#define INIT_SESSION_TIMEOUT_MS 2000

/* What init keeps of its own quota: its heap, worker stacks, config ROMs. */
#define INIT_RAM_RESERVE (4ull << 20)
#define INIT_CAPS_RESERVE 100ull

struct init;

/* One entry of the running config and what init made of it. Allocated on
 * its own: the child's policy refers to it, and it outlives
 * reconfigurations that keep the entry. */
struct init_child {
	struct init *init;
	const struct runtime_child *entry; /* in init->config */
	child_t *child;                    /* NULL if it could not start;
	                                        tried again by the next config */
	struct config_rom rom;
	bool rom_ready;
	const struct pkg_table *pkg;         /* a running pkg child's, in
	                                        init->pkgs; else NULL */
	struct init_child_state state;       /* for the state report */
	struct init_supervision supervision; /* its restart policy at work */
	struct init_child_heartbeat heartbeat;
	struct yield_plan downgrade; /* quota it still owes after its
	                                        entry was lowered (downgrade.h) */
};

struct init {
	env_t *env;
	struct child_parent_host host;
	struct runtime_config *config; /* NULL until a valid one came */
	struct service_registry registry;
	child_broker_t *broker;
	struct init_child **children;  /* config->start_count of them */
	struct reconfig_budget budget; /* what the children may have */
	struct init_pkgs pkgs;         /* the pkgs of the config */
	env_rom_t config_rom;          /* init's own config */
	signal_dispatcher_t config_changed;
	uint64_t child_ids;         /* the last id given to a child
	                                         (child_state.h); counts up */
	struct init_report report;  /* state_report.h */
	struct init_ticker ticker;  /* times restarts (supervise.h)
	                                         and heartbeats (heartbeat.h) */
	uint32_t heartbeat_left_ms; /* to the next round */
	struct remote_links remote; /* the proxies' links
	                                         (remote_route.h) */
};

/* Opens and watches the config ROM and applies the config in it (starts the
 * children). Nonzero when init cannot work at all (the reason is logged);
 * an invalid config is logged and init waits for a valid one. */
int init_start(struct init *init, env_t *env);

/* Starts the entry's child (its state says how that went; logged). */
void init_child_start(struct init *init, struct init_child *ic);

/* Ends the child's process and its config ROM; its quota goes back to
 * init, its sessions are closed, those others had at it end. */
void init_child_stop(struct init_child *ic);

/* The policy init gives every child (init_policy.c). */
extern const struct child_policy init_child_policy_template;

#endif
