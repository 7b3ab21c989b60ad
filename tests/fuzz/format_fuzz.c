/*
 * libFuzzer target of libformat's runtime configuration parser: any bytes go
 * in; the parser must either refuse them with a message or hand out a model
 * that serialises to canonical JSON which parses back to the same text and
 * passes the quota check without crashing, and whose expansion into init's
 * remote proxies (format/remote.h) either is refused with a message or
 * leaves no rule to a node and every proxy routed. Built in the fuzz variant
 * (tests/unit/format/module.mk); the fuzz suite decides how long it runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/remote.h"
#include "format/runtime_config.h"

static void check_round_trip(const struct runtime_config *config)
{
	struct runtime_config *again = NULL;
	struct runtime_config_error error;
	char *canonical = runtime_config_to_json(config);

	if (canonical == NULL)
		abort();
	if (runtime_config_parse(canonical, strlen(canonical), &again,
	                         &error) != RUNTIME_CONFIG_OK)
		abort();
	char *canonical_again = runtime_config_to_json(again);
	if (canonical_again == NULL || strcmp(canonical, canonical_again) != 0)
		abort();
	free(canonical);
	free(canonical_again);
	runtime_config_free(again);
}

static void check_list_expanded(const struct runtime_config *x,
                                const struct runtime_route_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->rules[i].to == RUNTIME_TO_NODE ||
		    (list->rules[i].to == RUNTIME_TO_CHILD &&
		     !runtime_config_find_child(x, list->rules[i].child)))
			abort();
}

static void check_expansion(const struct runtime_config *config)
{
	struct runtime_config *x = NULL;
	struct runtime_config_error error;
	enum runtime_config_status status =
		runtime_config_expand_remote(config, &x, &error);

	if (status != RUNTIME_CONFIG_OK) {
		if (x != NULL || error.message[0] == '\0' ||
		    status == RUNTIME_CONFIG_BAD_JSON)
			abort();
		return;
	}
	check_list_expanded(x, &x->default_route);
	for (size_t i = 0; i < x->start_count; i++)
		check_list_expanded(x, &x->start[i].route);
	runtime_config_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct runtime_config *config = NULL;
	struct runtime_config_error error;

	if (runtime_config_parse((const char *)data, size, &config, &error) !=
	    RUNTIME_CONFIG_OK) {
		if (config != NULL || error.message[0] == '\0')
			abort();
		return 0;
	}
	check_round_trip(config);
	check_expansion(config);
	runtime_config_check_quota(config, UINT64_C(1) << 30, 1000, &error);
	runtime_config_free(config);
	return 0;
}
