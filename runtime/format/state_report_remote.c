/*
 * The state report's "remote" list (format/state_report.h; runtime/format/
 * README.md, "Routes to other nodes"): one entry per remote proxy of init,
 * with the node, the direction, the link's state as the proxy last
 * reported it, its modules and, for an import, the sessions this node's
 * children have at it. Part of libformat: the writer, the parser (known
 * fields checked strictly, unknown ones skipped, like the rest of the
 * report) and the check that every entry names a child of the report.
 */
#include "state_report_words.h"

#include <stdlib.h>
#include <string.h>

#include "parse_context.h"

#define FIELDS(table) (table), sizeof(table) / sizeof((table)[0])
#define REMOTE(t) ((struct state_report_remote *)(t))

static const char *const links[] = {
	[STATE_REPORT_LINK_CONNECTING] = "connecting",
	[STATE_REPORT_LINK_UP] = "up",
	[STATE_REPORT_LINK_DOWN] = "down",
	[STATE_REPORT_LINK_REFUSED] = "refused",
};
static const struct state_report_words link_words = {
	links, sizeof(links) / sizeof(links[0])
};

static const char *const directions[] = { "import", "export" };
static const struct state_report_words direction_words = {
	directions, sizeof(directions) / sizeof(directions[0])
};

const char *state_report_link_name(enum state_report_link link)
{
	return state_report_word(&link_words, link);
}

/* --- reading ------------------------------------------------------------ */

static bool read_node(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "node", RUNTIME_NODE_NAME_MAX,
	                    CHARSET_CHILD_NAME, false, &REMOTE(t)->node);
}

static bool read_proxy(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "proxy", RUNTIME_NAME_MAX,
	                    CHARSET_CHILD_NAME, false, &REMOTE(t)->proxy);
}

static bool read_direction(struct parse_context *ctx, const cJSON *v, void *t)
{
	unsigned value = 0;

	if (!state_report_parse_word(ctx, v, "direction", &direction_words,
	                             &value))
		return false;
	REMOTE(t)->export = value == 1;
	return true;
}

static bool read_service(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "service", RUNTIME_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false, &REMOTE(t)->service);
}

static bool read_link(struct parse_context *ctx, const cJSON *v, void *t)
{
	unsigned value = 0;

	if (!state_report_parse_word(ctx, v, "link", &link_words, &value))
		return false;
	REMOTE(t)->link = (enum state_report_link)value;
	return true;
}

static bool read_error(struct parse_context *ctx, const cJSON *v, void *t)
{
	return parse_string(ctx, v, "error", STATE_REPORT_REASON_MAX,
	                    CHARSET_PRINTABLE, false, &REMOTE(t)->error);
}

static bool read_modules(struct parse_context *ctx, const cJSON *v, void *t)
{
	static const struct parse_name_kind kind = { "module",
		                                     RUNTIME_ROM_NAME_MAX,
		                                     STATE_REPORT_MODULES_MAX };

	return parse_name_list(ctx, v, "modules", &kind, &REMOTE(t)->modules);
}

static bool read_sessions(struct parse_context *ctx, const cJSON *v, void *t)
{
	struct state_report_remote *r = t;
	void *items = NULL;
	bool ok = state_report_parse_list(ctx, v, "sessions",
	                                  STATE_REPORT_SERVED_MAX,
	                                  sizeof(*r->sessions),
	                                  state_report_read_session, &items,
	                                  &r->session_count);

	r->sessions = items; /* freed with the model, also when not ok */
	return ok;
}

static const struct parse_field remote_fields[] = {
	{ "node", read_node },           { "proxy", read_proxy },
	{ "direction", read_direction }, { "service", read_service },
	{ "link", read_link },           { "error", read_error },
	{ "modules", read_modules },     { "sessions", read_sessions },
};

static bool read_entry(struct parse_context *ctx, const cJSON *value,
                       void *entries, size_t index)
{
	struct state_report_remote *r = (struct state_report_remote *)entries +
	                                index;

	if (!parse_object_known_fields(ctx, value, FIELDS(remote_fields), r) ||
	    !state_report_need(ctx, value, "node", "the other node") ||
	    !state_report_need(ctx, value, "proxy", "init's proxy child") ||
	    !state_report_need(ctx, value, "direction", "import or export") ||
	    !state_report_need(ctx, value, "service",
	                       "the service that crosses") ||
	    !state_report_need(ctx, value, "link",
	                       "connecting, up, down or refused") ||
	    !state_report_need(ctx, value, "modules", "what the link carries"))
		return false;
	if (r->link == STATE_REPORT_LINK_UP && r->error)
		return parse_fail(ctx, "\"error\" is given but the link is up");
	if (r->export && r->session_count)
		return parse_fail(ctx, "\"sessions\" are listed for an export");
	return true;
}

bool state_report_read_remote(struct parse_context *ctx, const cJSON *value,
                              void *target)
{
	struct state_report *report = target;
	void *items = NULL;
	bool ok = state_report_parse_list(ctx, value, "remote",
	                                  STATE_REPORT_REMOTE_MAX,
	                                  sizeof(*report->remote), read_entry,
	                                  &items, &report->remote_count);

	report->remote = items;
	return ok;
}

/* Every entry names a child of the report (a scan: at most
 * STATE_REPORT_REMOTE_MAX entries over the children). */
bool state_report_check_remote(struct parse_context *ctx,
                               const struct state_report *report)
{
	for (size_t i = 0; i < report->remote_count; i++) {
		const char *proxy = report->remote[i].proxy;
		bool found = false;
		for (size_t c = 0; c < report->child_count && !found; c++)
			found = !strcmp(report->children[c].name, proxy);
		if (!found)
			return parse_fail(
				ctx,
				"remote[%zu]: proxy \"%s\" is none of the children",
				i, proxy);
	}
	return true;
}

/* --- writing ------------------------------------------------------------ */

static bool add_text(cJSON *o, const char *key, const char *value)
{
	return value == NULL || cJSON_AddStringToObject(o, key, value) != NULL;
}

static bool add_entry_lists(cJSON *o, const struct state_report_remote *r)
{
	cJSON *modules = cJSON_AddArrayToObject(o, "modules");

	for (size_t i = 0; modules && i < r->modules.count; i++)
		if (!cJSON_AddItemToArray(
			    modules, cJSON_CreateString(r->modules.names[i])))
			return false;
	if (!modules)
		return false;
	if (!r->session_count)
		return true;
	cJSON *sessions = cJSON_AddArrayToObject(o, "sessions");
	for (size_t i = 0; sessions && i < r->session_count; i++) {
		const struct state_report_served *s = &r->sessions[i];
		cJSON *e = cJSON_CreateObject();
		if (!e || !cJSON_AddItemToArray(sessions, e)) {
			cJSON_Delete(e);
			return false;
		}
		if (!add_text(e, "client", s->client) ||
		    !add_text(e, "label", s->label) ||
		    !add_text(e, "state",
		              state_report_session_state_name(s->state)))
			return false;
	}
	return sessions != NULL;
}

bool state_report_add_remote(cJSON *object, const struct state_report *report)
{
	if (!report->remote_count)
		return true;
	cJSON *array = cJSON_AddArrayToObject(object, "remote");
	for (size_t i = 0; array && i < report->remote_count; i++) {
		const struct state_report_remote *r = &report->remote[i];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(array, o)) {
			cJSON_Delete(o);
			return false;
		}
		if (!add_text(o, "node", r->node) ||
		    !add_text(o, "proxy", r->proxy) ||
		    !add_text(o, "direction", directions[r->export]) ||
		    !add_text(o, "service", r->service) ||
		    !add_text(o, "link", state_report_link_name(r->link)) ||
		    !add_text(o, "error", r->error) || !add_entry_lists(o, r))
			return false;
	}
	return array != NULL;
}

void state_report_remote_clear(struct state_report *report)
{
	for (size_t i = 0; i < report->remote_count; i++) {
		struct state_report_remote *r = &report->remote[i];
		free(r->node);
		free(r->proxy);
		free(r->service);
		free(r->error);
		runtime_name_list_clear(&r->modules);
		for (size_t s = 0; s < r->session_count; s++) {
			free(r->sessions[s].client);
			free(r->sessions[s].label);
		}
		free(r->sessions);
	}
	free(report->remote);
	report->remote = NULL;
	report->remote_count = 0;
}
