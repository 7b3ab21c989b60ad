/*
 * Route rules of the runtime configuration: the entries of "default_route"
 * and of a child's "route". Part of libformat's parser. This file reads one
 * list and checks each rule on its own (types, names, the target's syntax);
 * whether a named child exists and provides the service is checked once every
 * child is known (references.c). A target naming another node is read by
 * remote_config.c.
 */
#include "parse_context.h"

#include <stdlib.h>
#include <string.h>

static bool read_service(struct parse_context *ctx, const cJSON *value,
                         void *target)
{
	struct runtime_route_rule *rule = target;

	if (cJSON_IsString(value) && strcmp(value->valuestring, "*") == 0) {
		rule->service = strdup("*");
		return rule->service != NULL || parse_no_memory(ctx);
	}
	return parse_string(ctx, value, "service", RUNTIME_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false, &rule->service);
}

static bool read_matcher(struct parse_context *ctx, const cJSON *value,
                         const char *field, char **out)
{
	return parse_string(ctx, value, field, RUNTIME_LABEL_MAX,
	                    CHARSET_PRINTABLE, true, out);
}

static bool read_label(struct parse_context *ctx, const cJSON *value,
                       void *target)
{
	return read_matcher(ctx, value, "label",
	                    &((struct runtime_route_rule *)target)->label);
}

static bool read_label_prefix(struct parse_context *ctx, const cJSON *value,
                              void *target)
{
	return read_matcher(ctx, value, "label_prefix",
	                    &((struct runtime_route_rule *)target)
	                             ->label_prefix);
}

static bool read_label_suffix(struct parse_context *ctx, const cJSON *value,
                              void *target)
{
	return read_matcher(ctx, value, "label_suffix",
	                    &((struct runtime_route_rule *)target)
	                             ->label_suffix);
}

static bool read_label_last(struct parse_context *ctx, const cJSON *value,
                            void *target)
{
	return read_matcher(ctx, value, "label_last",
	                    &((struct runtime_route_rule *)target)->label_last);
}

static bool read_to(struct parse_context *ctx, const cJSON *value, void *target)
{
	struct runtime_route_rule *rule = target;

	if (cJSON_IsString(value) &&
	    strcmp(value->valuestring, "parent") == 0) {
		rule->to = RUNTIME_TO_PARENT;
		return true;
	}
	if (cJSON_IsString(value) &&
	    strcmp(value->valuestring, "any-child") == 0) {
		rule->to = RUNTIME_TO_ANY_CHILD;
		return true;
	}
	if (cJSON_IsObject(value))
		return parse_remote_target(ctx, value, rule);
	if (cJSON_IsString(value) && strcmp(value->valuestring, "") == 0)
		return parse_fail(
			ctx,
			"\"to\" must be \"parent\", \"any-child\" or a child name");
	rule->to = RUNTIME_TO_CHILD;
	return parse_string(ctx, value, "to", RUNTIME_NAME_MAX,
	                    CHARSET_CHILD_NAME, false, &rule->child);
}

static const struct parse_field rule_fields[] = {
	{ "service", read_service },
	{ "label", read_label },
	{ "label_prefix", read_label_prefix },
	{ "label_suffix", read_label_suffix },
	{ "label_last", read_label_last },
	{ "to", read_to },
};

static bool parse_rule(struct parse_context *ctx, const cJSON *value,
                       struct runtime_route_rule *rule)
{
	if (!cJSON_IsObject(value))
		return parse_fail(ctx, "a route rule must be an object");
	rule->to = RUNTIME_TO_PARENT;
	if (!parse_object_fields(ctx, value, rule_fields,
	                         sizeof(rule_fields) / sizeof(rule_fields[0]),
	                         rule))
		return false;
	if (rule->service == NULL)
		return parse_fail(
			ctx,
			"\"service\" is missing (a service name or \"*\")");
	if (cJSON_GetObjectItemCaseSensitive(value, "to") == NULL)
		return parse_fail(
			ctx,
			"\"to\" is missing (\"parent\", \"any-child\" or a child name)");
	return true;
}

static bool read_rule_entry(struct parse_context *ctx, const cJSON *item,
                            void *entries, size_t index)
{
	return parse_rule(ctx, item,
	                  (struct runtime_route_rule *)entries + index);
}

bool parse_route_list(struct parse_context *ctx, const cJSON *value,
                      const char *field, struct runtime_route_list *out)
{
	static const struct parse_list_kind rules = {
		.list_of = "route rules",
		.noun = "rules",
		.max_count = RUNTIME_RULES_MAX,
		.entry_size = sizeof(struct runtime_route_rule),
		.enter = true,
	};
	void *entries = NULL;
	bool ok = parse_list(ctx, value, field, &rules, read_rule_entry,
	                     &entries, &out->count);

	out->rules = entries; /* freed with the list, also when not ok */
	return ok;
}
