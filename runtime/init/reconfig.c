/*
 * Init's side of a reconfiguration (reconfig.h): the checks a new config
 * must pass before init acts on it, then libformat's comparison with the
 * running one (format/plan.h). Pure: it reads models and writes the plan;
 * init.c acts on it.
 */
#include "reconfig.h"

#include <stdio.h>
#include <string.h>

/* What the format allows but this init cannot do yet. */
static enum runtime_config_status check_supported(const struct runtime_config *config,
                                                  struct runtime_config_error *error)
{
	for (size_t i = 0; i < config->start_count; i++) {
		if (config->start[i].pkg) {
			snprintf(error->message, sizeof(error->message),
			         "start entry \"%s\": \"pkg\" needs the depot, which "
			         "this init does not read yet; give \"binary\" instead",
			         config->start[i].name);
			return RUNTIME_CONFIG_INVALID;
		}
	}
	return RUNTIME_CONFIG_OK;
}

enum runtime_config_status reconfig_prepare(const struct runtime_config *running,
                                            const char *text, size_t length,
                                            const struct reconfig_budget *budget,
                                            struct runtime_config **next,
                                            struct config_plan *plan,
                                            struct runtime_config_error *error)
{
	enum runtime_config_status status;
	struct runtime_config *config = NULL;

	*next = NULL;
	memset(plan, 0, sizeof(*plan));
	status = runtime_config_parse(text, length, &config, error);
	if (status == RUNTIME_CONFIG_OK)
		status = check_supported(config, error);
	if (status == RUNTIME_CONFIG_OK)
		status = runtime_config_check_quota(config, budget->ram, budget->caps,
		                                    error);
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
