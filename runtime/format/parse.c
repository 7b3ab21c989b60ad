/*
 * runtime_config_parse: the entry of libformat's parser. It turns the bytes of
 * a runtime configuration into JSON (json_text.c), reads the top-level fields
 * and each start entry, then runs the whole-document checks of references.c.
 * The model is handed out only when all of that succeeded; on any error it is
 * freed, so nothing is half-applied.
 */
#include "parse_context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool read_version(struct parse_context *ctx, const cJSON *value,
                         void *target)
{
	return parse_string(ctx, value, "version", RUNTIME_VERSION_MAX,
	                    CHARSET_PRINTABLE, false,
	                    &((struct runtime_config *)target)->version);
}

static bool read_parent_provides(struct parse_context *ctx, const cJSON *value,
                                 void *target)
{
	return parse_service_list(ctx, value, "parent_provides",
	                          &((struct runtime_config *)target)
	                                   ->parent_provides);
}

static bool read_default_route(struct parse_context *ctx, const cJSON *value,
                               void *target)
{
	return parse_route_list(ctx, value, "default_route",
	                        &((struct runtime_config *)target)
	                                 ->default_route);
}

static bool read_delay_ms(struct parse_context *ctx, const cJSON *value,
                          void *target)
{
	uint64_t delay = 0;

	if (!parse_uint(ctx, value, "delay_ms", RUNTIME_DELAY_MS_MAX, &delay))
		return false;
	((struct runtime_config *)target)->report_delay_ms = (uint32_t)delay;
	return true;
}

static const struct parse_field report_fields[] = {
	{ "delay_ms", read_delay_ms },
};

static bool read_report(struct parse_context *ctx, const cJSON *value,
                        void *target)
{
	struct runtime_config *config = target;

	if (!cJSON_IsObject(value))
		return parse_fail(
			ctx,
			"\"report\" must be an object like {\"delay_ms\": 100}");
	size_t previous = parse_enter(ctx, "report");
	if (!parse_object_fields(ctx, value, report_fields,
	                         sizeof(report_fields) /
	                                 sizeof(report_fields[0]),
	                         config))
		return false;
	if (cJSON_GetObjectItemCaseSensitive(value, "delay_ms") == NULL)
		return parse_fail(
			ctx, "\"delay_ms\" is missing (milliseconds, 0 to %d)",
			RUNTIME_DELAY_MS_MAX);
	parse_leave(ctx, previous);
	config->report = true;
	return true;
}

static bool read_rate_ms(struct parse_context *ctx, const cJSON *value,
                         void *target)
{
	uint64_t rate = 0;

	if (!parse_uint(ctx, value, "rate_ms", RUNTIME_HEARTBEAT_RATE_MAX,
	                &rate))
		return false;
	if (rate < RUNTIME_HEARTBEAT_RATE_MIN)
		return parse_fail(ctx, "\"rate_ms\" must be at least %d",
		                  RUNTIME_HEARTBEAT_RATE_MIN);
	((struct runtime_config *)target)->heartbeat_rate_ms = (uint32_t)rate;
	return true;
}

static const struct parse_field heartbeat_fields[] = {
	{ "rate_ms", read_rate_ms },
};

static bool read_heartbeat(struct parse_context *ctx, const cJSON *value,
                           void *target)
{
	struct runtime_config *config = target;

	if (!cJSON_IsObject(value))
		return parse_fail(
			ctx,
			"\"heartbeat\" must be an object like {\"rate_ms\": 1000}");
	size_t previous = parse_enter(ctx, "heartbeat");
	if (!parse_object_fields(ctx, value, heartbeat_fields,
	                         sizeof(heartbeat_fields) /
	                                 sizeof(heartbeat_fields[0]),
	                         config))
		return false;
	if (cJSON_GetObjectItemCaseSensitive(value, "rate_ms") == NULL)
		return parse_fail(
			ctx, "\"rate_ms\" is missing (milliseconds, %d to %d)",
			RUNTIME_HEARTBEAT_RATE_MIN, RUNTIME_HEARTBEAT_RATE_MAX);
	parse_leave(ctx, previous);
	return true;
}

static bool read_node(struct parse_context *ctx, const cJSON *value,
                      void *target)
{
	return parse_node_self(ctx, value, target);
}

static bool read_nodes(struct parse_context *ctx, const cJSON *value,
                       void *target)
{
	return parse_nodes(ctx, value, target);
}

static bool read_exports(struct parse_context *ctx, const cJSON *value,
                         void *target)
{
	return parse_exports(ctx, value, target);
}

static bool read_deadline_ms(struct parse_context *ctx, const cJSON *value,
                             void *target)
{
	uint64_t deadline = 0;

	if (!parse_uint(ctx, value, "deadline_ms", RUNTIME_YIELD_DEADLINE_MAX,
	                &deadline))
		return false;
	if (deadline < RUNTIME_YIELD_DEADLINE_MIN)
		return parse_fail(ctx, "\"deadline_ms\" must be at least %d",
		                  RUNTIME_YIELD_DEADLINE_MIN);
	((struct runtime_config *)target)->yield_deadline_ms = (uint32_t)
		deadline;
	return true;
}

static const struct parse_field yield_fields[] = {
	{ "deadline_ms", read_deadline_ms },
};

static bool read_yield(struct parse_context *ctx, const cJSON *value,
                       void *target)
{
	struct runtime_config *config = target;

	if (!cJSON_IsObject(value))
		return parse_fail(
			ctx,
			"\"yield\" must be an object like {\"deadline_ms\": 2000}");
	size_t previous = parse_enter(ctx, "yield");
	if (!parse_object_fields(ctx, value, yield_fields,
	                         sizeof(yield_fields) / sizeof(yield_fields[0]),
	                         config))
		return false;
	if (cJSON_GetObjectItemCaseSensitive(value, "deadline_ms") == NULL)
		return parse_fail(
			ctx,
			"\"deadline_ms\" is missing (milliseconds, %d to %d)",
			RUNTIME_YIELD_DEADLINE_MIN, RUNTIME_YIELD_DEADLINE_MAX);
	parse_leave(ctx, previous);
	return true;
}

static bool read_child_entry(struct parse_context *ctx, const cJSON *item,
                             void *entries, size_t index)
{
	return parse_child(ctx, item, index,
	                   (struct runtime_child *)entries + index);
}

static bool read_start(struct parse_context *ctx, const cJSON *value,
                       void *target)
{
	static const struct parse_list_kind children = {
		.list_of = "children",
		.noun = "children",
		.max_count = RUNTIME_CHILDREN_MAX,
		.entry_size = sizeof(struct runtime_child),
	};
	struct runtime_config *config = target;
	void *entries = NULL;
	bool ok = parse_list(ctx, value, "start", &children, read_child_entry,
	                     &entries, &config->start_count);

	config->start = entries; /* freed with the config, also when not ok */
	return ok;
}

static const struct parse_field top_fields[] = {
	{ "version", read_version },
	{ "parent_provides", read_parent_provides },
	{ "default_route", read_default_route },
	{ "report", read_report },
	{ "heartbeat", read_heartbeat },
	{ "node", read_node },
	{ "nodes", read_nodes },
	{ "exports", read_exports },
	{ "yield", read_yield },
	{ "start", read_start },
};

/* A child's restart_after_skipped counts heartbeats, so it needs them. */
static bool check_heartbeat_users(struct parse_context *ctx,
                                  const struct runtime_config *config)
{
	for (size_t i = 0;
	     i < config->start_count && !config->heartbeat_rate_ms; i++)
		if (config->start[i].restart_after_skipped)
			return parse_fail(
				ctx,
				"start[%zu] \"%s\": \"restart_after_skipped\" "
				"needs heartbeats: add {\"heartbeat\": {\"rate_ms\": "
				"...}} at the top level",
				i, config->start[i].name);
	return true;
}

static bool parse_document(struct parse_context *ctx, const cJSON *json,
                           struct runtime_config *config)
{
	if (!cJSON_IsObject(json))
		return parse_fail(ctx,
		                  "the configuration must be a JSON object");
	if (!parse_object_fields(ctx, json, top_fields,
	                         sizeof(top_fields) / sizeof(top_fields[0]),
	                         config))
		return false;
	return check_heartbeat_users(ctx, config) &&
	       parse_check_references(ctx, config);
}

enum runtime_config_status runtime_config_parse(
	const char *text, size_t length, struct runtime_config **out,
	struct runtime_config_error *error)
{
	cJSON *json = NULL;

	*out = NULL;
	error->message[0] = '\0';
	enum runtime_config_status status = json_text_parse(text, length, &json,
	                                                    error);
	if (status != RUNTIME_CONFIG_OK)
		return status;
	struct runtime_config *config = calloc(1, sizeof(*config));
	struct parse_context ctx = { .where = "",
		                     .status = RUNTIME_CONFIG_OK,
		                     .error = error };
	if (config == NULL)
		parse_no_memory(&ctx);
	else if (!parse_document(&ctx, json, config))
		runtime_config_free(config);
	else
		*out = config;
	cJSON_Delete(json);
	return ctx.status;
}
