/*
 * state_report_to_json: the state report's text (format/state_report.h,
 * runtime/format/README.md "The state report"), as init writes it. Part of
 * libformat, built with cJSON: unformatted, keys in the README's order,
 * optional fields left out when absent or empty, whole numbers as digits.
 * Equal models give equal text, which is how init sees that a report is
 * unchanged.
 *
 * The writer does not repeat the parser's rules: it parses what it wrote
 * (linear, like the writing) and hands the text out only if the parser
 * accepts it, so every report written is one that every reader of the
 * same version reads, and a model that breaks an invariant gives the
 * parser's message naming the entry. One thing it does repair rather
 * than refuse: session labels and reasons carry text that components
 * chose (a label is the client's), so they are written made printable
 * (parse_make_printable: control characters, C1 included, and bytes that
 * are no UTF-8 become '?', as core shows a component's LOG lines); else
 * one component's label would make the whole report unwritable.
 */
#include "parse_context.h"
#include "state_report_words.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool add_string(cJSON *object, const char *key, const char *value)
{
	return value == NULL ||
	       cJSON_AddStringToObject(object, key, value) != NULL;
}

/* add_string for text a component chose: written made printable. */
static bool add_printable(cJSON *object, const char *key, const char *value)
{
	if (value == NULL)
		return true;
	char *shown = strdup(value);
	if (shown == NULL)
		return false;
	parse_make_printable(shown);
	bool ok = cJSON_AddStringToObject(object, key, shown) != NULL;
	free(shown);
	return ok;
}

static bool add_word(cJSON *object, const char *key,
                     const struct state_report_words *words, unsigned value)
{
	const char *word = state_report_word(words, value);

	/* an unknown value is written as one no reader knows, so the check
	 * below names it */
	return cJSON_AddStringToObject(object, key, word ? word : "?") != NULL;
}

static bool add_number(cJSON *object, const char *key, uint64_t value)
{
	char digits[24];

	snprintf(digits, sizeof(digits), "%" PRIu64, value);
	return cJSON_AddRawToObject(object, key, digits) != NULL;
}

static bool add_amounts(cJSON *object, const char *key,
                        const struct state_report_amounts *a, bool assigned)
{
	cJSON *o = cJSON_AddObjectToObject(object, key);

	return o != NULL &&
	       (!assigned || add_number(o, "assigned", a->assigned)) &&
	       add_number(o, "quota", a->quota) &&
	       add_number(o, "used", a->used) &&
	       add_number(o, "avail", a->avail);
}

/* A child's resource request or yield request: KEY {"ram": N, "caps": N}. */
static bool add_request(cJSON *object, const char *key, uint64_t ram,
                        uint64_t caps)
{
	cJSON *o = cJSON_AddObjectToObject(object, key);

	return o != NULL && add_number(o, "ram", ram) &&
	       add_number(o, "caps", caps);
}

static bool add_names(cJSON *object, const char *key,
                      const struct runtime_name_list *list)
{
	cJSON *array;

	if (list->count == 0)
		return true;
	array = cJSON_AddArrayToObject(object, key);
	if (array == NULL)
		return false;
	for (size_t i = 0; i < list->count; i++) {
		cJSON *name = cJSON_CreateString(list->names[i]);
		if (name == NULL || !cJSON_AddItemToArray(array, name)) {
			cJSON_Delete(name);
			return false;
		}
	}
	return true;
}

/* Appends a new object to `array`; NULL when out of memory. */
static cJSON *add_object(cJSON *array)
{
	cJSON *o = cJSON_CreateObject();

	if (o != NULL && !cJSON_AddItemToArray(array, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static bool add_requested(cJSON *child, const struct state_report_child *c)
{
	cJSON *array;

	if (c->requested_count == 0)
		return true;
	array = cJSON_AddArrayToObject(child, "requested");
	if (array == NULL)
		return false;
	for (size_t i = 0; i < c->requested_count; i++) {
		const struct state_report_requested *r = &c->requested[i];
		cJSON *o = add_object(array);
		if (o == NULL || !add_string(o, "service", r->service) ||
		    !add_printable(o, "label", r->label) ||
		    !add_word(o, "bound", &state_report_bounds, r->bound) ||
		    !add_string(o, "server", r->server) ||
		    !add_word(o, "state", &state_report_session_states,
		              r->state))
			return false;
	}
	return true;
}

static bool add_served(cJSON *child, const struct state_report_child *c)
{
	cJSON *array;

	if (c->served_count == 0)
		return true;
	array = cJSON_AddArrayToObject(child, "served");
	if (array == NULL)
		return false;
	for (size_t i = 0; i < c->served_count; i++) {
		const struct state_report_served *s = &c->served[i];
		cJSON *o = add_object(array);
		if (o == NULL || !add_string(o, "client", s->client) ||
		    !add_printable(o, "label", s->label) ||
		    !add_word(o, "state", &state_report_session_states,
		              s->state))
			return false;
	}
	return true;
}

static bool add_child(cJSON *array, const struct state_report_child *c)
{
	cJSON *o = add_object(array);
	char code[16];

	if (o == NULL || !add_string(o, "name", c->name) ||
	    !add_string(o, "binary", c->binary) ||
	    !add_string(o, "pkg", c->pkg) ||
	    !add_string(o, "version", c->version) ||
	    !add_number(o, "id", c->id) ||
	    !add_word(o, "state", &state_report_child_states, c->state))
		return false;
	snprintf(code, sizeof(code), "%" PRId32, c->exit_code);
	if (c->has_exit_code &&
	    cJSON_AddRawToObject(o, "exit_code", code) == NULL)
		return false;
	return add_printable(o, "reason", c->reason) &&
	       add_number(o, "restarts", c->restarts) &&
	       (c->skipped_heartbeats == 0 ||
	        add_number(o, "skipped_heartbeats", c->skipped_heartbeats)) &&
	       (!c->has_resource_request ||
	        add_request(o, "resource_request", c->request_ram,
	                    c->request_caps)) &&
	       (!c->has_yield_request ||
	        add_request(o, "yield_request", c->yield_ram, c->yield_caps)) &&
	       add_amounts(o, "ram", &c->ram, true) &&
	       add_amounts(o, "caps", &c->caps, true) &&
	       add_names(o, "provides", &c->provides) && add_requested(o, c) &&
	       add_served(o, c) &&
	       (c->served_left_out == 0 ||
	        add_number(o, "served_left_out", c->served_left_out));
}

static cJSON *report_json(const struct state_report *report)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *children;

	if (o == NULL ||
	    !add_string(o, "config_version", report->config_version))
		goto fail;
	cJSON *init = cJSON_AddObjectToObject(o, "init");
	if (init == NULL || !add_amounts(init, "ram", &report->ram, false) ||
	    !add_amounts(init, "caps", &report->caps, false))
		goto fail;
	if (report->sessions_left_out &&
	    cJSON_AddTrueToObject(o, "sessions_left_out") == NULL)
		goto fail;
	children = cJSON_AddArrayToObject(o, "children");
	if (children == NULL)
		goto fail;
	for (size_t i = 0; i < report->child_count; i++)
		if (!add_child(children, &report->children[i]))
			goto fail;
	if (!state_report_add_remote(o, report))
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

char *state_report_to_json(const struct state_report *report,
                           struct runtime_config_error *error)
{
	cJSON *json = report_json(report);
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;

	cJSON_Delete(json);
	if (text == NULL) {
		snprintf(error->message, sizeof(error->message),
		         "out of memory");
		return NULL;
	}
	if (state_report_parse(text, strlen(text), NULL, error) !=
	    RUNTIME_CONFIG_OK) {
		free(text);
		return NULL;
	}
	return text;
}
