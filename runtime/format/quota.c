/*
 * The quota check of a runtime configuration against what init itself has:
 * the children's ram and caps, summed in start order, must fit. Part of
 * libformat so that the host tool can refuse a configuration before deploying
 * it and init can refuse it before starting anything; the message names the
 * first child that does not fit and how much is left.
 */
#include "format/runtime_config.h"

#include <stdio.h>

static enum runtime_config_status over_quota(struct runtime_config_error *error,
                                             size_t index,
                                             const struct runtime_child *child,
                                             const char *what, uint64_t needed,
                                             uint64_t left, uint64_t available)
{
	snprintf(
		error->message, sizeof(error->message),
		"start[%zu] \"%s\": needs %llu %s but only %llu of init's %llu are left",
		index, child->name, (unsigned long long)needed, what,
		(unsigned long long)left, (unsigned long long)available);
	return RUNTIME_CONFIG_OVER_QUOTA;
}

enum runtime_config_status runtime_config_check_quota(
	const struct runtime_config *config, uint64_t ram_available,
	uint64_t caps_available, struct runtime_config_error *error)
{
	uint64_t ram_left = ram_available;
	uint64_t caps_left = caps_available;

	error->message[0] = '\0';
	for (size_t i = 0; i < config->start_count; i++) {
		const struct runtime_child *child = &config->start[i];
		if (child->ram > ram_left)
			return over_quota(error, i, child, "bytes of ram",
			                  child->ram, ram_left, ram_available);
		if (child->caps > caps_left)
			return over_quota(error, i, child, "caps", child->caps,
			                  caps_left, caps_available);
		ram_left -= child->ram;
		caps_left -= child->caps;
	}
	return RUNTIME_CONFIG_OK;
}
