/*
 * The plan of a configuration change (DESIGN.md, "Dynamic reconfiguration"):
 * what applying a new runtime configuration does to the running one, child by
 * child, compared by start `name`. Init carries the plan out when its config
 * ROM changes (runtime/init/init.c); the host tool `sculpt` computes the very
 * same plan to say beforehand what `sculpt apply` will do. Part of libformat,
 * pure: it reads two parsed models and writes only the plan.
 *
 * Per entry of the running configuration, the plan says:
 *   CONFIG_PLAN_UNCHANGED  nothing that concerns the process changed (a
 *                          changed `route` or `provides` only steers session
 *                          requests: routes_changed says so; a changed
 *                          `restart` applies to the child's next end);
 *   CONFIG_PLAN_UPDATE     same process: a new `config` (delivered live as a
 *                          new ROM version), more `ram`/`caps` (moved to it
 *                          live) and/or less (taken back live: what its PD
 *                          has free, then what a yield request frees; init
 *                          restarts it only when that does not come back in
 *                          time, runtime/init/README.md "Quota downgrade");
 *   CONFIG_PLAN_RESTART    `binary`, `pkg` or `version` changed
 *                          (restart_why says which);
 *   CONFIG_PLAN_REMOVE     no entry of that name any more.
 * Entries of the new configuration without a running counterpart start.
 */
#ifndef FORMAT_PLAN_H
#define FORMAT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/runtime_config.h"

enum config_plan_fate {
	CONFIG_PLAN_UNCHANGED,
	CONFIG_PLAN_UPDATE,
	CONFIG_PLAN_RESTART,
	CONFIG_PLAN_REMOVE,
};

/* Why a child restarts: a set of these bits. */
enum config_plan_why {
	CONFIG_PLAN_WHY_BINARY = 1u << 0,
	CONFIG_PLAN_WHY_PKG = 1u << 1,
	CONFIG_PLAN_WHY_VERSION = 1u << 2,
};

/* The fate of one entry of the running configuration. */
struct config_plan_entry {
	enum config_plan_fate fate;
	size_t next;          /* its index in the new configuration
	                           (all fates but REMOVE) */
	unsigned restart_why; /* RESTART: config_plan_why bits, never 0 */
	bool config_changed;  /* UPDATE: deliver the new config text */
	uint64_t ram_raise;   /* UPDATE: bytes to move to the child */
	uint64_t caps_raise;  /* UPDATE: capabilities to move */
	uint64_t ram_lower;   /* UPDATE: bytes to take back */
	uint64_t caps_lower;  /* UPDATE: capabilities to take back */
	bool routes_changed;  /* all but REMOVE: its `route` or the
	                           `default_route` differ, so its open sessions
	                           whose route changed are re-opened */
};

struct config_plan {
	struct config_plan_entry *old; /* one per entry of the running config */
	size_t old_count;
	bool *added; /* one per entry of the new config:
	                                  true when it is to be started */
	size_t new_count;
};

/*
 * Compares `running` (NULL at start-up: every entry is added) with `next`,
 * two valid models. On RUNTIME_CONFIG_OK *plan is filled
 * (config_plan_free); on RUNTIME_CONFIG_NO_MEMORY it is empty.
 */
enum runtime_config_status config_plan_compare(
	const struct runtime_config *running, const struct runtime_config *next,
	struct config_plan *plan);

void config_plan_free(struct config_plan *plan);

/* The words for the first reason in `why` (a set of config_plan_why bits),
 * e.g. "its binary changed"; "" for 0. */
const char *config_plan_why_text(unsigned why);

#endif
