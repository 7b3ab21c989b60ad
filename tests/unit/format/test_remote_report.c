/*
 * Unit tests of the state report's "remote" list (format/state_report.h,
 * runtime/format/state_report_remote.c), from both sides: a model with an
 * import and an export is written in its exact canonical text and parsed
 * back equal; fields a newer init adds are skipped; broken and hostile
 * entries (an unknown link word, a proxy that is no child, an error beside
 * "up", sessions of an export, missing fields, too many entries or
 * modules, bad names) are refused naming the entry, and the writer refuses
 * a model that breaks an invariant. ASan and UBSan watch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/state_report.h"

#define HEAD "{\"init\":{\"ram\":{\"quota\":1,\"used\":0,\"avail\":1}," \
	"\"caps\":{\"quota\":1,\"used\":0,\"avail\":1}},\"children\":["
#define AMOUNTS "\"ram\":{\"assigned\":1,\"quota\":1,\"used\":0,\"avail\":1}," \
	"\"caps\":{\"assigned\":1,\"quota\":1,\"used\":0,\"avail\":1}"
#define CHILD(name, id) "{\"name\":\"" name "\",\"binary\":\"b\",\"id\":" #id \
	",\"state\":\"running\",\"restarts\":0," AMOUNTS "}"
#define CHILDREN CHILD("reader", 1) "," CHILD("remote-rom-from-a", 2) "," \
	CHILD("remote-rom-to-c", 3) "]"
#define IMPORT "{\"node\":\"a\",\"proxy\":\"remote-rom-from-a\",\"direction\":\"import\"," \
	"\"service\":\"ROM\",\"link\":\"down\",\"error\":\"no answer from the peer in time " \
	"(keepalive)\",\"modules\":[\"shared\",\"other\"],\"sessions\":[{\"client\":" \
	"\"reader\",\"label\":\"reader -> shared\",\"state\":\"ready\"}]}"
#define EXPORT "{\"node\":\"c\",\"proxy\":\"remote-rom-to-c\",\"direction\":\"export\"," \
	"\"service\":\"ROM\",\"link\":\"up\",\"modules\":[\"status\"]}"

static const char canonical[] = HEAD CHILDREN ",\"remote\":[" IMPORT "," EXPORT
					      "]}";

static struct state_report *parse_ok(const char *text)
{
	struct runtime_config_error error;
	struct state_report *r = NULL;

	if (state_report_parse(text, strlen(text), &r, &error) !=
	    RUNTIME_CONFIG_OK)
		fail_msg("parser refused: %s\n%s", error.message, text);
	return r;
}

static void round_trip(void **state)
{
	(void)state;
	struct state_report *r = parse_ok(canonical);
	struct runtime_config_error error;

	assert_int_equal(r->remote_count, 2);
	const struct state_report_remote *in = &r->remote[0],
					 *out = &r->remote[1];
	assert_string_equal(in->node, "a");
	assert_false(in->export);
	assert_int_equal(in->link, STATE_REPORT_LINK_DOWN);
	assert_string_equal(in->error,
	                    "no answer from the peer in time (keepalive)");
	assert_int_equal(in->modules.count, 2);
	assert_string_equal(in->modules.names[1], "other");
	assert_int_equal(in->session_count, 1);
	assert_string_equal(in->sessions[0].label, "reader -> shared");
	assert_true(out->export);
	assert_int_equal(out->link, STATE_REPORT_LINK_UP);
	assert_null(out->error);
	char *text = state_report_to_json(r, &error);
	assert_non_null(text);
	assert_string_equal(text, canonical);
	free(text);
	state_report_free(r);
	/* a report without proxies has no "remote" at all */
	r = parse_ok(HEAD CHILDREN "}");
	assert_int_equal(r->remote_count, 0);
	text = state_report_to_json(r, &error);
	assert_string_equal(text, HEAD CHILDREN "}");
	free(text);
	state_report_free(r);
}

static void words(void **state)
{
	(void)state;
	assert_string_equal(
		state_report_link_name(STATE_REPORT_LINK_CONNECTING),
		"connecting");
	assert_string_equal(state_report_link_name(STATE_REPORT_LINK_UP), "up");
	assert_string_equal(state_report_link_name(STATE_REPORT_LINK_DOWN),
	                    "down");
	assert_string_equal(state_report_link_name(STATE_REPORT_LINK_REFUSED),
	                    "refused");
	struct state_report *r =
		parse_ok(HEAD CHILDREN
	                 ",\"remote\":[{\"node\":\"a\",\"proxy\":"
	                 "\"remote-rom-from-a\",\"direction\":\"import\","
	                 "\"service\":\"ROM\",\"link\":\"refused\",\"error\":"
	                 "\"peer key sha256:00 is not pinned\",\"modules\":"
	                 "[\"x\"]}]}");
	assert_int_equal(r->remote[0].link, STATE_REPORT_LINK_REFUSED);
	state_report_free(r);
}

static void unknown_fields_skipped(void **state)
{
	(void)state;
	struct state_report *r = parse_ok(
		HEAD CHILDREN
		",\"remote\":[{\"node\":\"a\",\"proxy\":"
		"\"remote-rom-from-a\",\"direction\":\"import\","
		"\"service\":\"ROM\",\"link\":\"up\",\"modules\":[\"x\"],"
		"\"rtt_us\":120,\"future\":{\"a\":[1]}}],\"later\":1}");
	assert_int_equal(r->remote_count, 1);
	state_report_free(r);
}

struct refusal {
	const char *entry; /* the remote list's text */
	const char *message;
};

#define ENTRY(fields) "[{\"node\":\"a\",\"proxy\":\"remote-rom-from-a\"," fields "}]"
#define GOOD "\"direction\":\"import\",\"service\":\"ROM\",\"link\":\"up\",\"modules\":[\"x\"]"

static const struct refusal refusals[] = {
	{ ENTRY("\"direction\":\"import\",\"service\":\"ROM\",\"link\":\"sideways\","
	        "\"modules\":[\"x\"]"),
	  "remote[0]: \"link\" value \"sideways\" is none of the known ones" },
	{ ENTRY("\"direction\":\"inbound\",\"service\":\"ROM\",\"link\":\"up\",\"modules\":[]"),
	  "remote[0]: \"direction\" value \"inbound\" is none of the known ones" },
	{ ENTRY(GOOD ",\"error\":\"why\""),
	  "remote[0]: \"error\" is given but the link is up" },
	{ "[{\"node\":\"c\",\"proxy\":\"remote-rom-to-c\",\"direction\":\"export\",\"service\":"
	  "\"ROM\",\"link\":\"up\",\"modules\":[\"x\"],\"sessions\":[{\"client\":\"reader\","
	  "\"label\":\"l\",\"state\":\"ready\"}]}]",
	  "remote[0]: \"sessions\" are listed for an export" },
	{ ENTRY("\"direction\":\"import\",\"service\":\"ROM\",\"link\":\"up\""),
	  "remote[0]: \"modules\" is missing (what the link carries)" },
	{ "[{\"node\":\"a\",\"proxy\":\"nobody\"," GOOD "}]",
	  "remote[0]: proxy \"nobody\" is none of the children" },
	{ "[{\"node\":\"A/\",\"proxy\":\"remote-rom-from-a\"," GOOD "}]",
	  "remote[0]: \"node\" value \"A/\" may hold only a-z, 0-9, '_', '.' and '-'" },
	{ ENTRY("\"direction\":\"import\",\"service\":\"ROM\",\"link\":\"up\","
	        "\"modules\":[\"x\",\"x\"]"),
	  "remote[0]: \"modules\" lists \"x\" twice" },
	{ ENTRY(GOOD
	        ",\"sessions\":[{\"client\":\"reader\",\"state\":\"ready\"}]"),
	  "remote[0]: sessions[0]: \"label\" is missing (the session label)" },
	{ ENTRY(GOOD ",\"link\":\"down\""),
	  "remote[0]: field \"link\" given twice" },
	{ "{}", "\"remote\" must be a list" },
	{ "[1]", "remote[0]: must be an object" },
};

static void refused(void **state)
{
	(void)state;
	char text[4096];

	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		struct runtime_config_error error;
		struct state_report *r = (struct state_report *)1;
		snprintf(text, sizeof(text), HEAD CHILDREN ",\"remote\":%s}",
		         refusals[i].entry);
		assert_int_not_equal(state_report_parse(text, strlen(text), &r,
		                                        &error),
		                     RUNTIME_CONFIG_OK);
		assert_null(r);
		if (strcmp(error.message, refusals[i].message) != 0)
			fail_msg("case %zu: \"%s\", expected \"%s\"", i,
			         error.message, refusals[i].message);
	}
}

/* Bounds: 65 entries, 32 modules of one proxy. */
static void hostile_sizes(void **state)
{
	(void)state;
	size_t size = 65 * 200 + 1024, n;
	char *text = malloc(size);
	struct runtime_config_error error;
	struct state_report *r = NULL;

	assert_non_null(text);
	n = (size_t)snprintf(text, size, HEAD CHILDREN ",\"remote\":[");
	for (int i = 0; i < STATE_REPORT_REMOTE_MAX + 1; i++)
		n += (size_t)snprintf(text + n, size - n,
		                      "%s{\"node\":\"a\",\"proxy\":"
		                      "\"remote-rom-from-a\"," GOOD "}",
		                      i ? "," : "");
	snprintf(text + n, size - n, "]}");
	assert_int_equal(state_report_parse(text, strlen(text), &r, &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(error.message,
	                    "\"remote\" has more than 64 entries");
	n = (size_t)snprintf(
		text, size,
		HEAD CHILDREN
		",\"remote\":[{\"node\":\"a\",\"proxy\":"
		"\"remote-rom-from-a\",\"direction\":\"import\",\"service\":\"ROM\","
		"\"link\":\"up\",\"modules\":[");
	for (int i = 0; i < STATE_REPORT_MODULES_MAX + 1; i++)
		n += (size_t)snprintf(text + n, size - n, "%s\"m%d\"",
		                      i ? "," : "", i);
	snprintf(text + n, size - n, "]}]}");
	assert_int_equal(state_report_parse(text, strlen(text), &r, &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(error.message,
	                    "remote[0]: \"modules\" has more than 31 modules");
	free(text);
}

/* The writer checks what it wrote: an error beside "up" is refused. */
static void writer_refuses_broken_models(void **state)
{
	(void)state;
	struct state_report *r = parse_ok(canonical);
	struct runtime_config_error error;

	r->remote[1].error = strdup("stale");
	assert_null(state_report_to_json(r, &error));
	assert_string_equal(error.message,
	                    "remote[1]: \"error\" is given but the link is up");
	state_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(words),
		cmocka_unit_test(unknown_fields_skipped),
		cmocka_unit_test(refused),
		cmocka_unit_test(hostile_sizes),
		cmocka_unit_test(writer_refuses_broken_models),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
