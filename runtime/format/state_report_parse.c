/*
 * state_report_parse: libformat's reader of init's state report
 * (format/state_report.h, runtime/format/README.md "The state report"), for
 * host tools. It shares the runtime configuration's pieces (JSON text
 * checks, names, field tables), but reads objects with
 * parse_object_known_fields: fields it does not know are skipped, because
 * a newer init may add some and an older host tool should still read its
 * reports. Fields it knows are checked as strictly as the config's.
 *
 * Cost: one pass over the cJSON tree, plus sorting the children's names and
 * ids to find duplicates (n log n in the number of children, at most
 * RUNTIME_CHILDREN_MAX); the input is at most STATE_REPORT_INPUT_MAX bytes.
 */
#include "state_report_words.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_context.h"

#define FIELDS(table) (table), sizeof(table) / sizeof((table)[0])

/* Fails naming `field` when `object` lacks it. */
static bool need(struct parse_context *ctx, const cJSON *object,
                 const char *field, const char *what)
{
	if (cJSON_GetObjectItemCaseSensitive(object, field) != NULL)
		return true;
	return parse_fail(ctx, "\"%s\" is missing (%s)", field, what);
}

static bool parse_word(struct parse_context *ctx, const cJSON *value,
                       const char *field,
                       const struct state_report_words *words, unsigned *out)
{
	char shown[PARSE_SHOWN_MAX];

	if (!cJSON_IsString(value))
		return parse_fail(ctx, "\"%s\" must be a string", field);
	if (state_report_word_find(words, value->valuestring, out))
		return true;
	return parse_fail(ctx, "\"%s\" value \"%s\" is none of the known ones",
	                  field, parse_shown(value->valuestring, shown));
}

static bool parse_number(struct parse_context *ctx, const cJSON *value,
                         const char *field, uint64_t *out)
{
	return parse_uint(ctx, value, field, STATE_REPORT_NUMBER_MAX, out);
}

/* The lists of a report: "field[i]" in the path, objects only. */
static bool parse_entries(struct parse_context *ctx, const cJSON *value,
                          const char *field, size_t max, size_t entry_size,
                          parse_entry_reader *read, void **entries,
                          size_t *count)
{
	const struct parse_list_kind kind = {
		.noun = "entries",
		.max_count = max,
		.entry_size = entry_size,
		.enter = true,
		.objects = true,
	};

	return parse_list(ctx, value, field, &kind, read, entries, count);
}

/* --- amounts ------------------------------------------------------------ */

#define AMOUNT_READER(member)                                               \
static bool read_##member(struct parse_context *ctx, const cJSON *value,   \
                          void *target)                                    \
{                                                                           \
	return parse_number(ctx, value, #member,                            \
	                    &((struct state_report_amounts *)target)->member); \
}
AMOUNT_READER(assigned)
AMOUNT_READER(quota)
AMOUNT_READER(used)
AMOUNT_READER(avail)

static const struct parse_field amount_fields[] = {
	{ "assigned", read_assigned },
	{ "quota", read_quota },
	{ "used", read_used },
	{ "avail", read_avail },
};

/* An object of amounts: a child's (with `assigned`) or init's (without;
 * the table starts with it). */
static bool parse_amounts(struct parse_context *ctx, const cJSON *value,
                          const char *field, bool assigned,
                          struct state_report_amounts *out)
{
	const struct parse_field *fields = assigned ? amount_fields
	                                            : amount_fields + 1;
	size_t count = sizeof(amount_fields) / sizeof(amount_fields[0]) -
	               !assigned;
	size_t previous = parse_enter(ctx, "%s", field);

	if (!cJSON_IsObject(value))
		return parse_fail(ctx, "must be an object");
	if (!parse_object_known_fields(ctx, value, fields, count, out) ||
	    (assigned &&
	     !need(ctx, value, "assigned", "what the config gives")) ||
	    !need(ctx, value, "quota", "the PD's quota") ||
	    !need(ctx, value, "used", "what the PD uses") ||
	    !need(ctx, value, "avail", "what is left"))
		return false;
	parse_leave(ctx, previous);
	return true;
}

/* A child's resource request: what it asked for. */
static bool read_q_ram(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_number(ctx, v, "ram",
	                    &((struct state_report_child *)t)->request_ram);
}

static bool read_q_caps(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_number(ctx, v, "caps",
	                    &((struct state_report_child *)t)->request_caps);
}

static const struct parse_field request_fields[] = {
	{ "ram", read_q_ram },
	{ "caps", read_q_caps },
};

/* A child's yield request: what init still takes back. */
static bool read_y_ram(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_number(ctx, v, "ram",
	                    &((struct state_report_child *)t)->yield_ram);
}

static bool read_y_caps(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_number(ctx, v, "caps",
	                    &((struct state_report_child *)t)->yield_caps);
}

static const struct parse_field yield_fields[] = {
	{ "ram", read_y_ram },
	{ "caps", read_y_caps },
};

static bool parse_yield(struct parse_context *ctx, const cJSON *value,
                        struct state_report_child *out)
{
	size_t previous = parse_enter(ctx, "yield_request");

	if (!cJSON_IsObject(value))
		return parse_fail(ctx, "must be an object");
	if (!parse_object_known_fields(ctx, value, yield_fields,
	                               sizeof(yield_fields) /
	                                       sizeof(yield_fields[0]),
	                               out) ||
	    !need(ctx, value, "ram", "the bytes still owed") ||
	    !need(ctx, value, "caps", "the capabilities still owed"))
		return false;
	parse_leave(ctx, previous);
	out->has_yield_request = true;
	return true;
}

static bool parse_request(struct parse_context *ctx, const cJSON *value,
                          struct state_report_child *out)
{
	size_t previous = parse_enter(ctx, "resource_request");

	if (!cJSON_IsObject(value))
		return parse_fail(ctx, "must be an object");
	if (!parse_object_known_fields(ctx, value, request_fields,
	                               sizeof(request_fields) /
	                                       sizeof(request_fields[0]),
	                               out) ||
	    !need(ctx, value, "ram", "the bytes asked for") ||
	    !need(ctx, value, "caps", "the capabilities asked for"))
		return false;
	parse_leave(ctx, previous);
	out->has_resource_request = true;
	return true;
}

/* --- sessions ----------------------------------------------------------- */

static bool read_r_service(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "service", RUNTIME_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false,
	                    &((struct state_report_requested *)t)->service);
}

static bool read_r_label(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "label", STATE_REPORT_LABEL_MAX,
	                    CHARSET_PRINTABLE, false,
	                    &((struct state_report_requested *)t)->label);
}

static bool read_r_bound(struct parse_context *ctx, const cJSON *v, void *t)
{
	unsigned value = 0;

	if (!parse_word(ctx, v, "bound", &state_report_bounds, &value))
		return false;
	((struct state_report_requested *)t)->bound = (enum state_report_bound)
		value;
	return true;
}

static bool read_r_server(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "server", RUNTIME_NAME_MAX,
	                    CHARSET_CHILD_NAME, false,
	                    &((struct state_report_requested *)t)->server);
}

static bool read_r_state(struct parse_context *ctx, const cJSON *v, void *t)
{
	unsigned value = 0;

	if (!parse_word(ctx, v, "state", &state_report_session_states, &value))
		return false;
	((struct state_report_requested *)t)->state =
		(enum state_report_session_state)value;
	return true;
}

static const struct parse_field requested_fields[] = {
	{ "service", read_r_service }, { "label", read_r_label },
	{ "bound", read_r_bound },     { "server", read_r_server },
	{ "state", read_r_state },
};

static bool read_requested(struct parse_context *ctx, const cJSON *value,
                           void *entries, size_t index)
{
	struct state_report_requested *r =
		(struct state_report_requested *)entries + index;

	if (!parse_object_known_fields(ctx, value, FIELDS(requested_fields),
	                               r) ||
	    !need(ctx, value, "service", "a service name") ||
	    !need(ctx, value, "label", "the session label") ||
	    !need(ctx, value, "bound", "child, parent, init or none") ||
	    !need(ctx, value, "state", "pending, ready, denied or closed"))
		return false;
	if (r->bound == STATE_REPORT_BOUND_CHILD && r->server == NULL)
		return parse_fail(
			ctx,
			"\"server\" is missing (the child it is bound to)");
	if (r->bound != STATE_REPORT_BOUND_CHILD && r->server != NULL)
		return parse_fail(ctx,
		                  "\"server\" is given but \"bound\" is \"%s\"",
		                  state_report_bound_name(r->bound));
	return true;
}

static bool read_s_client(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "client", RUNTIME_NAME_MAX,
	                    CHARSET_CHILD_NAME, false,
	                    &((struct state_report_served *)t)->client);
}

static bool read_s_label(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "label", STATE_REPORT_LABEL_MAX,
	                    CHARSET_PRINTABLE, false,
	                    &((struct state_report_served *)t)->label);
}

static bool read_s_state(struct parse_context *ctx, const cJSON *v, void *t)
{
	unsigned value = 0;

	if (!parse_word(ctx, v, "state", &state_report_session_states, &value))
		return false;
	((struct state_report_served *)t)->state =
		(enum state_report_session_state)value;
	return true;
}

static const struct parse_field served_fields[] = {
	{ "client", read_s_client },
	{ "label", read_s_label },
	{ "state", read_s_state },
};

static bool read_served(struct parse_context *ctx, const cJSON *value,
                        void *entries, size_t index)
{
	return parse_object_known_fields(ctx, value, FIELDS(served_fields),
	                                 (struct state_report_served *)entries +
	                                         index) &&
	       need(ctx, value, "client", "the child that asked") &&
	       need(ctx, value, "label", "the session label") &&
	       need(ctx, value, "state", "pending, ready, denied or closed");
}

/* --- a child ------------------------------------------------------------ */

#define CHILD(t) ((struct state_report_child *)(t))

static bool read_c_name(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "name", RUNTIME_NAME_MAX,
	                    CHARSET_CHILD_NAME, false, &CHILD(t)->name);
}

static bool read_c_binary(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "binary", RUNTIME_ROM_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false, &CHILD(t)->binary);
}

static bool read_c_pkg(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "pkg", RUNTIME_PKG_MAX, CHARSET_PRINTABLE,
	                    false, &CHILD(t)->pkg);
}

static bool read_c_version(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "version", RUNTIME_VERSION_MAX,
	                    CHARSET_PRINTABLE, false, &CHILD(t)->version);
}

static bool read_c_id(struct parse_context *ctx, const cJSON *v, void *t)
{
	if (!parse_number(ctx, v, "id", &CHILD(t)->id))
		return false;
	return CHILD(t)->id > 0 || parse_fail(ctx, "\"id\" must be at least 1");
}

static bool read_c_state(struct parse_context *ctx, const cJSON *v, void *t)
{
	unsigned value = 0;

	if (!parse_word(ctx, v, "state", &state_report_child_states, &value))
		return false;
	CHILD(t)->state = (enum state_report_child_state)value;
	return true;
}

static bool read_c_exit_code(struct parse_context *ctx, const cJSON *v, void *t)
{
	double number = cJSON_IsNumber(v) ? v->valuedouble : NAN;

	if (!isfinite(number) || floor(number) != number ||
	    number < (double)INT32_MIN || number > (double)INT32_MAX)
		return parse_fail(
			ctx,
			"\"exit_code\" must be a whole number from %d "
			"to %d",
			INT32_MIN, INT32_MAX);
	CHILD(t)->has_exit_code = true;
	CHILD(t)->exit_code = (int32_t)number;
	return true;
}

static bool read_c_reason(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "reason", STATE_REPORT_REASON_MAX,
	                    CHARSET_PRINTABLE, false, &CHILD(t)->reason);
}

static bool read_c_restarts(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_number(ctx, v, "restarts", &CHILD(t)->restarts);
}

static bool read_c_skipped(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_number(ctx, v, "skipped_heartbeats",
	                    &CHILD(t)->skipped_heartbeats);
}

static bool read_c_request(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_request(ctx, v, CHILD(t));
}

static bool read_c_yield(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_yield(ctx, v, CHILD(t));
}

static bool read_c_ram(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_amounts(ctx, v, "ram", true, &CHILD(t)->ram);
}

static bool read_c_caps(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_amounts(ctx, v, "caps", true, &CHILD(t)->caps);
}

static bool read_c_provides(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_service_list(ctx, v, "provides", &CHILD(t)->provides);
}

static bool read_c_requested(struct parse_context *ctx, const cJSON *v, void *t)
{
	struct state_report_child *c = t;

	void *items = NULL;
	bool ok = parse_entries(ctx, v, "requested", STATE_REPORT_REQUESTED_MAX,
	                        sizeof(*c->requested), read_requested, &items,
	                        &c->requested_count);

	c->requested = items; /* freed with the model, also when not ok */
	return ok;
}

static bool read_c_served(struct parse_context *ctx, const cJSON *v, void *t)
{
	struct state_report_child *c = t;

	void *items = NULL;
	bool ok = parse_entries(ctx, v, "served", STATE_REPORT_SERVED_MAX,
	                        sizeof(*c->served), read_served, &items,
	                        &c->served_count);

	c->served = items; /* freed with the model, also when not ok */
	return ok;
}

static bool read_c_left_out(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_number(ctx, v, "served_left_out",
	                    &CHILD(t)->served_left_out);
}

static const struct parse_field child_fields[] = {
	{ "name", read_c_name },
	{ "binary", read_c_binary },
	{ "pkg", read_c_pkg },
	{ "version", read_c_version },
	{ "id", read_c_id },
	{ "state", read_c_state },
	{ "exit_code", read_c_exit_code },
	{ "reason", read_c_reason },
	{ "restarts", read_c_restarts },
	{ "skipped_heartbeats", read_c_skipped },
	{ "resource_request", read_c_request },
	{ "yield_request", read_c_yield },
	{ "ram", read_c_ram },
	{ "caps", read_c_caps },
	{ "provides", read_c_provides },
	{ "requested", read_c_requested },
	{ "served", read_c_served },
	{ "served_left_out", read_c_left_out },
};

/* What the state says must be there, and what must not. */
static bool check_child_state(struct parse_context *ctx,
                              const struct state_report_child *c)
{
	bool exited = c->state == STATE_REPORT_EXITED;
	bool with_reason = c->state == STATE_REPORT_INCOMPLETE ||
	                   c->state == STATE_REPORT_FAILED;
	const char *state = state_report_child_state_name(c->state);

	if (exited != c->has_exit_code)
		return parse_fail(
			ctx,
			exited ? "\"exit_code\" is missing (the child exited)"
			       : "\"exit_code\" is given but the state is \"%s\"",
			state);
	if (with_reason != (c->reason != NULL))
		return parse_fail(
			ctx,
			with_reason
				? "\"reason\" is missing (the state is \"%s\")"
				: "\"reason\" is given but the state is \"%s\"",
			state);
	return true;
}

static bool read_child(struct parse_context *ctx, const cJSON *value,
                       void *entries, size_t index)
{
	struct state_report_child *c = (struct state_report_child *)entries +
	                               index;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(value, "name");

	size_t used = strlen(ctx->where);

	/* children[i] "name", as the config's messages say start[i] "name";
	 * the caller's parse_leave() takes it off again */
	if (cJSON_IsString(name) &&
	    parse_text_is_valid(name->valuestring, RUNTIME_NAME_MAX,
	                        CHARSET_CHILD_NAME))
		snprintf(ctx->where + used, sizeof(ctx->where) - used,
		         " \"%s\"", name->valuestring);
	if (!parse_object_known_fields(ctx, value, FIELDS(child_fields), c) ||
	    !need(ctx, value, "name", "the child's name") ||
	    !need(ctx, value, "id", "the child's id") ||
	    !need(ctx, value, "state",
	          "starting, running, incomplete, exited, "
	          "restarting or failed") ||
	    !need(ctx, value, "restarts", "how often it was restarted") ||
	    !need(ctx, value, "ram", "its RAM") ||
	    !need(ctx, value, "caps", "its caps"))
		return false;
	/* both: a pkg child that names its binary (init's remote proxies) */
	if (c->binary == NULL && c->pkg == NULL)
		return parse_fail(ctx, "needs \"binary\" or \"pkg\"");
	return check_child_state(ctx, c);
}

/* --- duplicates --------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct state_report_child *const *)a)->name,
	              (*(const struct state_report_child *const *)b)->name);
}

static int by_id(const void *a, const void *b)
{
	uint64_t x = (*(const struct state_report_child *const *)a)->id;
	uint64_t y = (*(const struct state_report_child *const *)b)->id;

	return x < y ? -1 : x > y;
}

/* No two children share a name or an id. */
static bool check_unique(struct parse_context *ctx,
                         const struct state_report *r)
{
	const struct state_report_child **sorted;
	bool ok = true;

	if (r->child_count < 2)
		return true;
	sorted = calloc(r->child_count,
	                sizeof(const struct state_report_child *));
	if (sorted == NULL)
		return parse_no_memory(ctx);
	for (size_t i = 0; i < r->child_count; i++)
		sorted[i] = &r->children[i];
	qsort(sorted, r->child_count, sizeof(const struct state_report_child *),
	      by_name);
	for (size_t i = 1; ok && i < r->child_count; i++)
		if (strcmp(sorted[i - 1]->name, sorted[i]->name) == 0)
			ok = parse_fail(ctx, "child \"%s\" is listed twice",
			                sorted[i]->name);
	qsort(sorted, r->child_count, sizeof(const struct state_report_child *),
	      by_id);
	for (size_t i = 1; ok && i < r->child_count; i++)
		if (sorted[i - 1]->id == sorted[i]->id)
			ok = parse_fail(
				ctx,
				"children \"%s\" and \"%s\" have the same id %llu",
				sorted[i - 1]->name, sorted[i]->name,
				(unsigned long long)sorted[i]->id);
	free(sorted);
	return ok;
}

/* --- the document ------------------------------------------------------- */

#define REPORT(t) ((struct state_report *)(t))

static bool read_config_version(struct parse_context *ctx, const cJSON *v,
                                void *t)
{
	return parse_string(ctx, v, "config_version", RUNTIME_VERSION_MAX,
	                    CHARSET_PRINTABLE, false,
	                    &REPORT(t)->config_version);
}

static bool read_init_ram(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_amounts(ctx, v, "ram", false, &REPORT(t)->ram);
}

static bool read_init_caps(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_amounts(ctx, v, "caps", false, &REPORT(t)->caps);
}

static const struct parse_field init_fields[] = {
	{ "ram", read_init_ram },
	{ "caps", read_init_caps },
};

static bool read_init(struct parse_context *ctx, const cJSON *v, void *t)
{
	size_t previous = parse_enter(ctx, "init");

	if (!cJSON_IsObject(v))
		return parse_fail(ctx, "must be an object");
	if (!parse_object_known_fields(ctx, v, FIELDS(init_fields), t) ||
	    !need(ctx, v, "ram", "init's RAM") ||
	    !need(ctx, v, "caps", "init's caps"))
		return false;
	parse_leave(ctx, previous);
	return true;
}

static bool read_left_out(struct parse_context *ctx, const cJSON *v, void *t)
{
	if (!cJSON_IsBool(v))
		return parse_fail(
			ctx, "\"sessions_left_out\" must be true or false");
	REPORT(t)->sessions_left_out = cJSON_IsTrue(v);
	return true;
}

static bool read_children(struct parse_context *ctx, const cJSON *v, void *t)
{
	struct state_report *r = t;

	void *items = NULL;
	bool ok = parse_entries(ctx, v, "children", RUNTIME_CHILDREN_MAX,
	                        sizeof(*r->children), read_child, &items,
	                        &r->child_count);

	r->children = items; /* freed with the model, also when not ok */
	return ok;
}

static const struct parse_field report_fields[] = {
	{ "config_version", read_config_version },
	{ "init", read_init },
	{ "sessions_left_out", read_left_out },
	{ "children", read_children },
	{ "remote", state_report_read_remote },
};

static bool parse_document(struct parse_context *ctx, const cJSON *json,
                           struct state_report *report)
{
	if (!cJSON_IsObject(json))
		return parse_fail(ctx, "a state report must be a JSON object");
	return parse_object_known_fields(ctx, json, FIELDS(report_fields),
	                                 report) &&
	       need(ctx, json, "init", "init's own quota") &&
	       need(ctx, json, "children", "the list of children") &&
	       check_unique(ctx, report) &&
	       state_report_check_remote(ctx, report);
}

enum runtime_config_status state_report_parse(
	const char *text, size_t length, struct state_report **out,
	struct runtime_config_error *error)
{
	cJSON *json = NULL;

	if (out != NULL)
		*out = NULL;
	error->message[0] = '\0';
	if (length > STATE_REPORT_INPUT_MAX) {
		snprintf(error->message, sizeof(error->message),
		         "state report is %zu bytes, more than the %d allowed",
		         length, STATE_REPORT_INPUT_MAX);
		return RUNTIME_CONFIG_INVALID;
	}
	enum runtime_config_status status = json_text_parse(text, length, &json,
	                                                    error);
	if (status != RUNTIME_CONFIG_OK)
		return status;
	struct state_report *report = calloc(1, sizeof(*report));
	struct parse_context ctx = { .where = "",
		                     .status = RUNTIME_CONFIG_OK,
		                     .error = error };
	if (report == NULL)
		parse_no_memory(&ctx);
	else if (!parse_document(&ctx, json, report) || out == NULL)
		state_report_free(report);
	else
		*out = report;
	cJSON_Delete(json);
	return ctx.status;
}

/* --- shared with the remote part (state_report_remote.c) ---------------- */

bool state_report_need(struct parse_context *ctx, const cJSON *object,
                       const char *field, const char *what)
{
	return need(ctx, object, field, what);
}

bool state_report_parse_word(struct parse_context *ctx, const cJSON *value,
                             const char *field,
                             const struct state_report_words *words,
                             unsigned *out)
{
	return parse_word(ctx, value, field, words, out);
}

bool state_report_parse_list(struct parse_context *ctx, const cJSON *value,
                             const char *field, size_t max, size_t entry_size,
                             parse_entry_reader *read, void **entries,
                             size_t *count)
{
	return parse_entries(ctx, value, field, max, entry_size, read, entries,
	                     count);
}

bool state_report_read_session(struct parse_context *ctx, const cJSON *value,
                               void *entries, size_t index)
{
	return read_served(ctx, value, entries, index);
}
