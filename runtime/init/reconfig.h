/*
 * What init does when its config ROM changes (DESIGN.md, "Dynamic
 * reconfiguration"): the comparison of the running configuration with a
 * new one, by start `name`, as a plan that init.c carries out. Pure: it
 * reads the two parsed models and writes only the plan, so it is tested
 * without processes (tests/unit/init/reconfig_test.c).
 *
 * reconfig_prepare() also holds every check a config must pass before
 * init acts on it (the same at start-up, where the running configuration
 * is NULL): it parses, merges each pkg entry with its pkg's runtime file
 * (through init's callback, so the figures compared and checked are
 * those the child gets) and checks the quota. A config that fails a check is refused as a whole: the running
 * configuration stays as it is and the error names the entry.
 *
 * Per entry of the running configuration, the plan says:
 *   UNCHANGED  nothing that concerns the process changed (a changed `route`
 *              or `provides` only steers new session requests);
 *   UPDATE     same process: a new `config` (delivered live as a new ROM
 *              version) and/or more `ram`/`caps` (moved to it live);
 *   RESTART    `binary`, `pkg` or `version` changed, or a quota was
 *              lowered: init cannot tell which of a running child's memory
 *              is free, and core accounts a PD's quota per session with
 *              upgrades only, so init takes quota back only by closing
 *              the PD, that is by restarting the child;
 *   REMOVE     no entry of that name any more.
 * Entries of the new configuration without a running counterpart start.
 */
#ifndef INIT_RECONFIG_H
#define INIT_RECONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/runtime_config.h"

enum reconfig_fate {
	RECONFIG_UNCHANGED,
	RECONFIG_UPDATE,
	RECONFIG_RESTART,
	RECONFIG_REMOVE,
};

/* The fate of one entry of the running configuration. */
struct reconfig_entry {
	enum reconfig_fate fate;
	size_t next;            /* its index in the new configuration
	                           (all fates but REMOVE) */
	bool config_changed;    /* UPDATE: deliver the new config text */
	uint64_t ram_raise;     /* UPDATE: bytes to move to the child */
	uint64_t caps_raise;    /* UPDATE: capabilities to move */
};

struct reconfig_plan {
	struct reconfig_entry *old;   /* one per entry of the running config */
	size_t old_count;
	bool *added;                  /* one per entry of the new config:
	                                 true when it is to be started */
	size_t new_count;
};

/* The quota init may hand to its children, all of them together. */
struct reconfig_budget {
	uint64_t ram;
	uint64_t caps;
};

/*
 * How init completes a pkg entry before the checks that need its figures
 * (the quota check) and before the comparison: `merge` reads the pkg's
 * runtime file and merges it into the entry (runtime_child_apply_pkg,
 * format/pkg_runtime.h), writing a new child to *merged and returning 0.
 * Nonzero: the pkg cannot be read now (an archive is missing or damaged;
 * init logs why and does not start the child); the entry then stays as
 * given, its own figures counting (none where it gives none). A NULL
 * `merge` leaves every pkg entry as given.
 */
struct reconfig_pkgs {
	int (*merge)(void *ctx, const struct runtime_child *entry,
	             struct runtime_child *merged);
	void *ctx;
};

/*
 * Checks the config text (`length` bytes) and compares it with `running`
 * (NULL at start-up: every entry is added). On success, *next is the new
 * model (runtime_config_free) and *plan the plan (reconfig_plan_free), and
 * 0 is returned. On failure nothing is allocated, `running` is untouched,
 * error->message says what to fix, naming the entry, and the status is a
 * RUNTIME_CONFIG_* other than OK.
 */
enum runtime_config_status reconfig_prepare(const struct runtime_config *running,
                                            const char *text, size_t length,
                                            const struct reconfig_budget *budget,
                                            const struct reconfig_pkgs *pkgs,
                                            struct runtime_config **next,
                                            struct reconfig_plan *plan,
                                            struct runtime_config_error *error);

/* The comparison alone, for two valid models. 0, or
 * RUNTIME_CONFIG_NO_MEMORY. */
enum runtime_config_status reconfig_compare(const struct runtime_config *running,
                                            const struct runtime_config *next,
                                            struct reconfig_plan *plan);

void reconfig_plan_free(struct reconfig_plan *plan);

#endif
