/*
 * Init's start-up and reconfiguration (init.h): it finds what quota it may
 * hand to its children, opens and watches its config ROM, and applies each
 * version of the config in it. reconfig.c checks a version completely
 * (format library, quota) and compares it with the running one; a version
 * that fails any check is logged with the entry it concerns and changes
 * nothing. A valid one is carried out here: first every child that is
 * removed or restarted is taken down (its quota comes back), then the
 * others are updated live and the new and restarted ones started, in
 * start order. A child that cannot be started is logged and the others
 * go on; the next applied config tries it again.
 */
#include "init.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/str.h>

#include "parent_rpc.h"
#include "pd_rpc.h"

/* What init has of its quota beyond what it uses; false (logged) when it
 * cannot tell. */
static bool read_free_quota(struct init *init, uint64_t *ram, uint64_t *caps)
{
	uint64_t ram_limit, ram_used, cap_limit, cap_used;
	int status = pd_quota(init->host.host.pd, &ram_limit, &ram_used,
	                      &cap_limit, &cap_used);

	if (status) {
		env_log(init->env, "cannot read init's quota: %s",
		        rpc_strerror(&pd_rpc, status));
		return false;
	}
	*ram = ram_limit > ram_used ? ram_limit - ram_used : 0;
	*caps = cap_limit > cap_used ? cap_limit - cap_used : 0;
	return true;
}

/* The children's budget: what init has before any child starts, less
 * what it keeps for itself. It stays the same for every later config. */
static bool find_budget(struct init *init)
{
	uint64_t ram, caps;

	if (!read_free_quota(init, &ram, &caps))
		return false;
	init->budget.ram = ram > INIT_RAM_RESERVE ? ram - INIT_RAM_RESERVE : 0;
	init->budget.caps = caps > INIT_CAPS_RESERVE ? caps - INIT_CAPS_RESERVE
	                                             : 0;
	return true;
}

/* A binary child's binary is a boot module. */
#define INIT_BOOT_ROM_ARGS "rom_from=\"boot\""

/* The binary of a pkg child and where it is (cfg->binary, cfg->rom_args
 * in rom_args[size]); false (logged, the child's state incomplete) when
 * its pkg could not be read or lacks the binary the entry names. The
 * binary is the runtime file's unless the entry names one (init's remote
 * proxies from a base pkg, format/remote.h). */
static bool pkg_binary(struct init *init, struct init_child *ic,
                       struct child_config *cfg, char *rom_args, size_t size)
{
	const char *reason;
	const struct pkg_table *table = init_pkgs_find(&init->pkgs,
	                                               ic->entry->pkg, &reason);
	const char *binary = ic->entry->binary ? ic->entry->binary
	                     : table           ? table->runtime->binary
	                                       : NULL;
	const char *archive = table ? pkg_table_find(table, binary) : NULL;
	char missing[CHILD_REASON_MAX];

	/* a kept table passed pkg_table_ready: it holds the runtime file's */
	assert(!table || archive || ic->entry->binary);
	if (table && !archive) {
		snprintf(missing, sizeof(missing),
		         "binary \"%s\" is in none of pkg %s's archives",
		         binary, ic->entry->pkg);
		reason = missing;
	}
	if (!archive || !init_pkg_rom_args(archive, rom_args, size)) {
		if (archive)
			reason = "archive name too long";
		init_child_state_incomplete(&ic->state, "%s", reason);
		env_log(init->env, "child \"%s\": not started: %s",
		        ic->entry->name, reason);
		return false;
	}
	cfg->binary = binary;
	cfg->rom_args = rom_args;
	ic->pkg = table;
	return true;
}

void init_child_start(struct init *init, struct init_child *ic)
{
	const struct runtime_child *entry = ic->entry;
	const char *text = entry->config ? entry->config : "{}";
	struct child_policy policy = init_child_policy_template;
	struct child_config cfg = {
		.name = entry->name,
		.binary = entry->binary,
		.rom_args = INIT_BOOT_ROM_ARGS,
		.ram = entry->ram,
		.caps = entry->caps,
	};
	char error[CHILD_REASON_MAX];
	char rom_args[CHILD_ARGS_MAX + 1];
	int status;

	init_child_state_starting(&ic->state);
	ic->heartbeat.skipped = 0; /* a new process has skipped nothing */
	if (entry->pkg &&
	    !pkg_binary(init, ic, &cfg, rom_args, sizeof(rom_args)))
		return;

	status = config_rom_init(&ic->rom, init->env->ep, init->host.host.pd,
	                         text, strlen(text));
	if (status) {
		env_log(init->env,
		        "child \"%s\": cannot make its config ROM: %s",
		        entry->name, rpc_strerror(&pd_rpc, status));
		init_child_state_failed(&ic->state,
		                        "cannot make its config ROM: %s",
		                        rpc_strerror(&pd_rpc, status));
		return;
	}
	ic->rom_ready = true;
	policy.ctx = ic;
	status = child_spawn(init->broker, &cfg, &policy, &ic->child, error,
	                     sizeof(error));
	if (status) {
		env_log(init->env, "child \"%s\": cannot start: %s",
		        entry->name, error);
		init_child_state_failed(&ic->state, "cannot start: %s", error);
		ic->child = NULL;
		ic->pkg = NULL;
		config_rom_fini(&ic->rom);
		ic->rom_ready = false;
		return;
	}
	init_child_state_running(&ic->state);
	if (entry->pkg)
		env_log(init->env,
		        "started child \"%s\" from pkg %s: binary %s of %s "
		        "(ram %llu, caps %llu)",
		        entry->name, entry->pkg, cfg.binary,
		        pkg_table_find(ic->pkg, cfg.binary),
		        (unsigned long long)entry->ram,
		        (unsigned long long)entry->caps);
	else
		env_log(init->env, "started child \"%s\" (ram %llu, caps %llu)",
		        entry->name, (unsigned long long)entry->ram,
		        (unsigned long long)entry->caps);
}

/* The config ROM goes first, so that closing the child's ROM sessions does
 * not wait for this (busy) entrypoint. */
void init_child_stop(struct init_child *ic)
{
	if (ic->rom_ready)
		config_rom_fini(&ic->rom);
	ic->rom_ready = false;
	child_destroy(ic->child);
	ic->child = NULL;
	ic->pkg = NULL;
	ic->downgrade = (struct yield_plan){
		.left_ms = 0
	}; /* a new PD owes nothing */
}

static void log_removed(struct init *init, const struct runtime_child *entry)
{
	uint64_t ram, caps;

	if (!read_free_quota(init, &ram, &caps))
		return;
	env_log(init->env,
	        "removed child \"%s\": ram %llu and caps %llu back, "
	        "init has ram %llu and caps %llu free",
	        entry->name, (unsigned long long)entry->ram,
	        (unsigned long long)entry->caps, (unsigned long long)ram,
	        (unsigned long long)caps);
}

static void log_applied(struct init *init)
{
	uint64_t ram, caps;

	if (read_free_quota(init, &ram, &caps))
		env_log(init->env,
		        "config applied: %zu children, init has ram %llu "
		        "and caps %llu free",
		        init->config->start_count, (unsigned long long)ram,
		        (unsigned long long)caps);
}

/* After its quota was raised: a child that waits for more is woken; it
 * finds out whether it is enough, and asks again if not. */
static void answer_request(struct init *init, struct init_child *ic)
{
	uint64_t ram, caps;

	if (!child_resource_request(ic->child, &ram, &caps))
		return;
	child_resource_answer(ic->child);
	env_log(init->env,
	        "child \"%s\": its request for ram %llu and caps %llu "
	        "is answered",
	        ic->entry->name, (unsigned long long)ram,
	        (unsigned long long)caps);
	init_report_changed(&init->report);
}

/* Delivers a changed entry to its running child: the new config as the
 * next ROM version, more quota to its PD or less (downgrade.c). */
static void update_child(struct init *init, struct init_child *ic,
                         const struct config_plan_entry *change)
{
	const struct runtime_child *entry = ic->entry;
	const char *text = entry->config ? entry->config : "{}";
	int status;

	if (change->config_changed && ic->rom_ready) {
		status = config_rom_update(&ic->rom, text, strlen(text));
		if (status)
			env_log(init->env,
			        "child \"%s\": cannot deliver its new config: %s",
			        entry->name, rpc_strerror(&pd_rpc, status));
		else
			env_log(init->env,
			        "child \"%s\": new config (version %u)",
			        entry->name, (unsigned)ic->rom.version);
	}
	if (!ic->child)
		return;
	struct yield_amount raise = init_downgrade_change(
		init, ic,
		(struct yield_amount){ change->ram_lower, change->caps_lower },
		(struct yield_amount){ change->ram_raise, change->caps_raise });
	if ((raise.ram || raise.caps) && ic->child) {
		status = child_upgrade(ic->child, raise.ram, raise.caps);
		if (status) {
			env_log(init->env,
			        "child \"%s\": cannot raise its quota: %s",
			        entry->name, runtime_strerror(status));
			return;
		}
		env_log(init->env,
		        "child \"%s\": quota raised by ram %llu, caps %llu "
		        "(now ram %llu, caps %llu)",
		        entry->name, (unsigned long long)raise.ram,
		        (unsigned long long)raise.caps,
		        (unsigned long long)entry->ram,
		        (unsigned long long)entry->caps);
		answer_request(init, ic);
	}
}

/* Logs the services a kept entry now provides that it did not, and those
 * it no longer provides. Nothing else is done here: route.c decides by
 * the running config's `provides`, so new requests follow the new
 * entry at once, and reroute_sessions() closes the open sessions at a
 * service withdrawn (their route is now denied or goes elsewhere). The
 * server keeps running, and what it announced stays announced. */
static void log_provides(struct init *init, const struct runtime_child *was,
                         const struct runtime_child *is)
{
	for (size_t k = 0; k < is->provides.count; k++)
		if (!runtime_name_list_has(&was->provides,
		                           is->provides.names[k]))
			env_log(init->env, "child \"%s\": provides \"%s\" now",
			        is->name, is->provides.names[k]);
	for (size_t k = 0; k < was->provides.count; k++)
		if (!runtime_name_list_has(&is->provides,
		                           was->provides.names[k]))
			env_log(init->env,
			        "child \"%s\": no longer provides \"%s\"",
			        is->name, was->provides.names[k]);
}

/* Takes down the removed and restarted children and files every kept one
 * under its new index in `next_children`. */
static void take_down(struct init *init, const struct config_plan *plan,
                      const struct runtime_config *next,
                      struct init_child **next_children)
{
	for (size_t i = 0; i < plan->old_count; i++) {
		const struct config_plan_entry *change = &plan->old[i];
		struct init_child *ic = init->children[i];

		if (change->fate == CONFIG_PLAN_REMOVE) {
			init_child_stop(ic);
			log_removed(init, ic->entry);
			free(ic);
			continue;
		}
		if (change->fate == CONFIG_PLAN_RESTART) {
			env_log(init->env, "restarting child \"%s\": %s",
			        ic->entry->name,
			        config_plan_why_text(change->restart_why));
			init_child_stop(ic);
			init_child_state_restarting(&ic->state);
			init_supervise_reset(ic);
		} else {
			log_provides(init, ic->entry,
			             &next->start[change->next]);
		}
		ic->entry = &next->start[change->next];
		next_children[change->next] = ic;
	}
}

/* Records for the entries `plan` adds, filed under their index in
 * `next_children`; false (none left) when memory runs out. */
static bool make_added(struct init *init, const struct config_plan *plan,
                       const struct runtime_config *next,
                       struct init_child **next_children)
{
	for (size_t j = 0; j < next->start_count; j++) {
		if (!plan->added[j])
			continue;
		next_children[j] = calloc(1, sizeof(**next_children));
		if (!next_children[j]) {
			for (size_t k = 0; k < j; k++)
				if (plan->added[k])
					free(next_children[k]);
			return false;
		}
		next_children[j]->init = init;
		next_children[j]->entry = &next->start[j];
		init_child_state_begin(&next_children[j]->state,
		                       &init->child_ids);
	}
	return true;
}

/* Closes the open sessions whose route the new config changed; their
 * clients open them anew along the new routes (child_broker_reroute). */
static void reroute_sessions(struct init *init)
{
	unsigned moved;

	if (child_broker_reroute(init->broker, &moved))
		env_log(init->env,
		        "out of memory: open sessions stay on their old "
		        "routes");
	else if (moved)
		env_log(init->env,
		        "closed %u open session%s whose route changed", moved,
		        moved == 1 ? "" : "s");
}

/* Carries out `plan` (the running config to `next`, which it takes). Every
 * record is made before anything changes, so running out of memory leaves
 * the running config as it is. */
static void apply(struct init *init, struct runtime_config *next,
                  const struct config_plan *plan)
{
	size_t count = next->start_count ? next->start_count : 1;
	struct init_child **next_children = calloc(count,
	                                           sizeof(struct init_child *));

	if (!next_children || !make_added(init, plan, next, next_children)) {
		env_log(init->env,
		        "out of memory for the new config; the running "
		        "config stays");
		free(next_children);
		runtime_config_free(next);
		return;
	}
	take_down(init, plan, next, next_children);
	free(init->children);
	runtime_config_free(init->config);
	init->children = next_children;
	init->config = next;
	for (size_t i = 0; i < plan->old_count; i++)
		if (plan->old[i].fate == CONFIG_PLAN_UPDATE)
			update_child(init, next_children[plan->old[i].next],
			             &plan->old[i]);
	/* the new, the restarted, and those that could not start before or
	 * were given up by their restart policy; not those whose restart
	 * waits out its back-off (supervise.c) */
	for (size_t j = 0; j < next->start_count; j++) {
		struct init_child *ic = next_children[j];
		/* every new entry is either added or kept (the plan covers all),
		 * so ic is never NULL; the check keeps that visible */
		if (ic && !ic->child && !ic->supervision.waiting) {
			init_supervise_reset(ic);
			init_child_start(init, ic);
		}
	}
	reroute_sessions(init);
	log_applied(init);
	init_heartbeat_apply(init);
	init_report_apply(&init->report);
}

/* reconfig_prepare's way to complete a pkg entry (struct reconfig_pkgs):
 * reads the pkg if it is not known yet and merges its runtime file. */
static int merge_pkg(void *ctx, const struct runtime_child *entry,
                     struct runtime_child *merged)
{
	struct init *init = ctx;
	struct runtime_config_error error;
	const char *reason;
	const struct pkg_table *table = init_pkgs_get(&init->pkgs, init->env,
	                                              entry->pkg, &reason);

	if (!table)
		return -1; /* init_child_start logs why */
	if (runtime_child_apply_pkg(entry, table->runtime, merged, &error)) {
		env_log(init->env, "%s", error.message);
		return -1;
	}
	return 0;
}

/* Checks the config ROM's current content and applies it, or logs why not
 * and keeps everything as it is. */
static void apply_config_rom(struct init *init)
{
	struct runtime_config_error error;
	struct runtime_config *next;
	struct config_plan plan;
	const struct reconfig_pkgs pkgs = { merge_pkg, init };

	if (!init->config_rom.data) {
		env_log(init->env,
		        "invalid config: the config ROM is empty or missing");
	} else if (reconfig_prepare(init->config, init->config_rom.data,
	                            init->config_rom.size, &init->budget, &pkgs,
	                            &next, &plan, &error)) {
		env_log(init->env, "invalid config: %s", error.message);
	} else {
		apply(init, next, &plan);
		config_plan_free(&plan);
		init_pkgs_settle(&init->pkgs, init->config);
		return;
	}
	init_pkgs_settle(&init->pkgs, init->config);
	if (init->config)
		env_log(init->env,
		        "config version %u refused; the running config "
		        "stays",
		        (unsigned)init->config_rom.version);
	else
		env_log(init->env, "no child started");
}

static void config_changed(signal_dispatcher_t *d, uint32_t count)
{
	struct init *init = container_of(d, struct init, config_changed);
	int status = env_rom_update(&init->config_rom);

	(void)count;
	if (status) {
		env_log(init->env, "cannot read the new config: %s",
		        runtime_strerror(status));
		return;
	}
	env_log(init->env, "config version %u",
	        (unsigned)init->config_rom.version);
	apply_config_rom(init);
}

/* Opens the config ROM and asks for its change signal. */
static int watch_config(struct init *init)
{
	kcap_t signal = KCAP_INVALID;
	int status = env_rom_open(init->env, "config", &init->config_rom);

	if (status) {
		env_log(init->env, "cannot read the config ROM: %s",
		        runtime_strerror(status));
		return status;
	}
	status = signal_dispatcher_init(&init->config_changed, init->env->ep,
	                                config_changed, &signal);
	if (!status) {
		status = env_rom_sigh(&init->config_rom, signal);
		cap_close(signal);
	}
	if (status)
		env_log(init->env,
		        "cannot watch the config ROM (changes will not "
		        "apply): %s",
		        runtime_strerror(status));
	return 0;
}

static void ticked(struct init_ticker *t)
{
	init_supervise_tick(container_of(t, struct init, ticker));
}

int init_start(struct init *init, env_t *env)
{
	int status;

	memset(init, 0, sizeof(*init));
	init->env = env;
	service_registry_init(&init->registry);
	status = child_parent_host_init(&init->host, env->parent);
	if (status) {
		env_log(env, "cannot open init's own PD session: %s",
		        runtime_strerror(status));
		return status;
	}
	if (!find_budget(init)) {
		env_log(env, "no child started");
		return PARENT_ERR_INVALID;
	}

	status = init_report_start(&init->report, init);
	if (status) {
		env_log(env, "cannot set up the state report: %s",
		        runtime_strerror(status));
		return status;
	}
	status = init_ticker_start(&init->ticker, env, ticked);
	if (status) {
		env_log(env, "cannot set up the ticker: %s",
		        runtime_strerror(status));
		return status;
	}

	struct child_broker_config cfg = {
		.ep = env->ep,
		.host = &init->host.host,
		.registry = &init->registry,
		.timeout_ms = INIT_SESSION_TIMEOUT_MS,
		.sessions_changed = init_report_sessions_changed,
		.sessions_changed_ctx = &init->report,
	};
	status = child_broker_create(&init->broker, &cfg);
	if (status) {
		env_log(env, "out of memory for the children");
		return status;
	}
	status = watch_config(init);
	if (status)
		return status;
	apply_config_rom(init);
	return 0;
}
