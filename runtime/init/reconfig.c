/*
 * Init's side of a reconfiguration (reconfig.h): the checks a new config
 * must pass before init acts on it, then libformat's comparison with the
 * running one (format/plan.h). Pure: it reads models and writes the plan;
 * init.c acts on it.
 */
#include "reconfig.h"

#include <stdio.h>
#include <string.h>

#include "format/remote.h"

/* Puts the merged form of every pkg entry that `pkgs` can complete in
 * place of the entry (reconfig.h, struct reconfig_pkgs). */
static void merge_pkgs(struct runtime_config *config,
                       const struct reconfig_pkgs *pkgs)
{
	struct runtime_child merged;

	for (size_t i = 0; pkgs && pkgs->merge && i < config->start_count;
	     i++) {
		if (!config->start[i].pkg ||
		    pkgs->merge(pkgs->ctx, &config->start[i], &merged) != 0)
			continue;
		runtime_child_clear(&config->start[i]);
		config->start[i] = merged;
	}
}

/* Replaces *config with the configuration init runs: its remote proxies
 * as children (format/remote.h; README.md, "Routes to other nodes"). */
static enum runtime_config_status expand_remote(
	struct runtime_config **config, struct runtime_config_error *error)
{
	struct runtime_config *expanded = NULL;
	enum runtime_config_status status =
		runtime_config_expand_remote(*config, &expanded, error);

	runtime_config_free(*config);
	*config = expanded;
	return status;
}

enum runtime_config_status reconfig_prepare(
	const struct runtime_config *running, const char *text, size_t length,
	const struct reconfig_budget *budget, const struct reconfig_pkgs *pkgs,
	struct runtime_config **next, struct config_plan *plan,
	struct runtime_config_error *error)
{
	enum runtime_config_status status;
	struct runtime_config *config = NULL;

	*next = NULL;
	memset(plan, 0, sizeof(*plan));
	status = runtime_config_parse(text, length, &config, error);
	if (status == RUNTIME_CONFIG_OK)
		status = expand_remote(&config, error);
	if (status == RUNTIME_CONFIG_OK)
		merge_pkgs(config, pkgs);
	if (status == RUNTIME_CONFIG_OK)
		status = runtime_config_check_quota(config, budget->ram,
		                                    budget->caps, error);
	if (status == RUNTIME_CONFIG_OK) {
		status = config_plan_compare(running, config, plan);
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
