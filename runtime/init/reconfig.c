/*
 * Init's reconfiguration plan (reconfig.h): the checks a new config must
 * pass, and its comparison with the running one by start name. Pure: it
 * reads models and writes the plan; init.c acts on it.
 */
#include "reconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether two optional strings are equal (NULL equals only NULL). */
static bool same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The config text a child reads: its `config`, or "{}" without one. */
static const char *config_text(const struct runtime_child *entry)
{
	return entry->config ? entry->config : "{}";
}

static bool needs_restart(const struct runtime_child *was,
                          const struct runtime_child *is)
{
	return !same_text(was->binary, is->binary) ||
	       !same_text(was->pkg, is->pkg) ||
	       !same_text(was->version, is->version) ||
	       is->ram < was->ram || is->caps < was->caps;
}

static struct reconfig_entry fate_of(const struct runtime_child *was,
                                     const struct runtime_config *next)
{
	struct reconfig_entry entry = { .fate = RECONFIG_REMOVE };
	const struct runtime_child *is = runtime_config_find_child(next, was->name);

	if (!is)
		return entry;
	entry.next = (size_t)(is - next->start);
	if (needs_restart(was, is)) {
		entry.fate = RECONFIG_RESTART;
		return entry;
	}
	entry.config_changed = strcmp(config_text(was), config_text(is)) != 0;
	entry.ram_raise = is->ram - was->ram;
	entry.caps_raise = is->caps - was->caps;
	entry.fate = entry.config_changed || entry.ram_raise || entry.caps_raise
	             ? RECONFIG_UPDATE : RECONFIG_UNCHANGED;
	return entry;
}

enum runtime_config_status reconfig_compare(const struct runtime_config *running,
                                            const struct runtime_config *next,
                                            struct reconfig_plan *plan)
{
	size_t old_count = running ? running->start_count : 0;

	memset(plan, 0, sizeof(*plan));
	plan->old = calloc(old_count ? old_count : 1, sizeof(*plan->old));
	plan->added = calloc(next->start_count ? next->start_count : 1,
	                     sizeof(*plan->added));
	if (!plan->old || !plan->added) {
		reconfig_plan_free(plan);
		return RUNTIME_CONFIG_NO_MEMORY;
	}
	plan->old_count = old_count;
	plan->new_count = next->start_count;
	for (size_t i = 0; i < next->start_count; i++)
		plan->added[i] = true;
	for (size_t i = 0; i < old_count; i++) {
		plan->old[i] = fate_of(&running->start[i], next);
		if (plan->old[i].fate != RECONFIG_REMOVE)
			plan->added[plan->old[i].next] = false;
	}
	return RUNTIME_CONFIG_OK;
}

void reconfig_plan_free(struct reconfig_plan *plan)
{
	free(plan->old);
	free(plan->added);
	memset(plan, 0, sizeof(*plan));
}

/* Puts the merged form of every pkg entry that `pkgs` can complete in
 * place of the entry (reconfig.h, struct reconfig_pkgs). */
static void merge_pkgs(struct runtime_config *config, const struct reconfig_pkgs *pkgs)
{
	struct runtime_child merged;

	for (size_t i = 0; pkgs && pkgs->merge && i < config->start_count; i++) {
		if (!config->start[i].pkg ||
		    pkgs->merge(pkgs->ctx, &config->start[i], &merged) != 0)
			continue;
		runtime_child_clear(&config->start[i]);
		config->start[i] = merged;
	}
}

enum runtime_config_status reconfig_prepare(const struct runtime_config *running,
                                            const char *text, size_t length,
                                            const struct reconfig_budget *budget,
                                            const struct reconfig_pkgs *pkgs,
                                            struct runtime_config **next,
                                            struct reconfig_plan *plan,
                                            struct runtime_config_error *error)
{
	enum runtime_config_status status;
	struct runtime_config *config = NULL;

	*next = NULL;
	memset(plan, 0, sizeof(*plan));
	status = runtime_config_parse(text, length, &config, error);
	if (status == RUNTIME_CONFIG_OK)
		merge_pkgs(config, pkgs);
	if (status == RUNTIME_CONFIG_OK)
		status = runtime_config_check_quota(config, budget->ram, budget->caps,
		                                    error);
	if (status == RUNTIME_CONFIG_OK) {
		status = reconfig_compare(running, config, plan);
		if (status)
			snprintf(error->message, sizeof(error->message),
			         "out of memory comparing the configurations");
	}
	if (status) {
		runtime_config_free(config);
		return status;
	}
	*next = config;
	return RUNTIME_CONFIG_OK;
}
