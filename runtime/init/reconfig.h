/*
 * What init does when its config ROM changes (DESIGN.md, "Dynamic
 * reconfiguration"): the new configuration checked and compared with the
 * running one, by start `name`, as a plan that init.c carries out. Pure: it
 * reads the two parsed models and writes only the plan, so it is tested
 * without processes (tests/unit/init/reconfig_test.c).
 *
 * reconfig_prepare() holds every check a config must pass before
 * init acts on it (the same at start-up, where the running configuration
 * is NULL): it parses, merges each pkg entry with its pkg's runtime file
 * (through init's callback, so the figures compared and checked are
 * those the child gets) and checks the quota. A config that fails a check is refused as a whole: the running
 * configuration stays as it is and the error names the entry.
 *
 * The comparison itself, and so the plan's fates (unchanged, update,
 * restart, remove) and their reasons, is libformat's (format/plan.h), so
 * that the host tool sculpt predicts with the same code what init will do.
 */
#ifndef INIT_RECONFIG_H
#define INIT_RECONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/plan.h"
#include "format/runtime_config.h"

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
 * model (runtime_config_free) and *plan the plan (config_plan_free), and
 * 0 is returned. On failure nothing is allocated, `running` is untouched,
 * error->message says what to fix, naming the entry, and the status is a
 * RUNTIME_CONFIG_* other than OK.
 */
enum runtime_config_status reconfig_prepare(
	const struct runtime_config *running, const char *text, size_t length,
	const struct reconfig_budget *budget, const struct reconfig_pkgs *pkgs,
	struct runtime_config **next, struct config_plan *plan,
	struct runtime_config_error *error);

#endif
