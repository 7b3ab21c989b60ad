/*
 * Unit tests of init's state report format (format/state_report.h): a model
 * written and parsed back is equal and its text canonical; fields a newer
 * init adds are ignored at every level; and hostile or broken reports are
 * refused with a message naming the entry (missing fields, wrong types,
 * unknown words, states without their exit code or reason, a bound session
 * without its server, duplicate names and ids, numbers out of range, too
 * many entries, too large, NUL, too deep). The writer refuses a model that
 * breaks an invariant. ASan and UBSan watch.
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

static char *dup(const char *text)
{
	char *copy = strdup(text);

	assert_non_null(copy);
	return copy;
}

/* A report of three children: a server, its client (one session bound to
 * the server, one to the parent, the config ROM at init), and one that
 * exited. */
static struct state_report *sample(void)
{
	struct state_report *r = calloc(1, sizeof(*r));
	struct state_report_child *c;

	assert_non_null(r);
	r->config_version = dup("7");
	r->ram = (struct state_report_amounts){ 0, 64u << 20, 5u << 20,
		                                59u << 20 };
	r->caps = (struct state_report_amounts){ 0, 1000, 300, 700 };
	r->child_count = 3;
	r->children = calloc(3, sizeof(*r->children));
	assert_non_null(r->children);

	c = &r->children[0];
	c->name = dup("log");
	c->binary = dup("log_server");
	c->id = 1;
	c->state = STATE_REPORT_RUNNING;
	c->ram = (struct state_report_amounts){ 4u << 20, 4u << 20, 1u << 20,
		                                3u << 20 };
	c->caps = (struct state_report_amounts){ 50, 50, 20, 30 };
	c->provides.count = 1;
	c->provides.names = calloc(2, sizeof(char *));
	assert_non_null(c->provides.names);
	c->provides.names[0] = dup("LOG");
	c->served_count = 1;
	c->served = calloc(1, sizeof(*c->served));
	assert_non_null(c->served);
	c->served[0] = (struct state_report_served){ dup("hello"), dup("hello"),
		                                     STATE_REPORT_READY };
	c->served_left_out = 2;

	c = &r->children[1];
	c->name = dup("hello");
	c->pkg = dup("alice/pkg/hello/2026-11-21");
	c->version = dup("2");
	c->id = 4;
	c->state = STATE_REPORT_RUNNING;
	c->restarts = 3;
	c->skipped_heartbeats = 2;
	c->has_resource_request = true;
	c->request_ram = 65536;
	c->request_caps = 1;
	c->has_yield_request = true;
	c->yield_ram = 4096;
	c->yield_caps = 2;
	c->ram = (struct state_report_amounts){ 2u << 20, 2u << 20, 1u << 20,
		                                1u << 20 };
	c->caps = (struct state_report_amounts){ 100, 100, 10, 90 };
	c->requested_count = 3;
	c->requested = calloc(3, sizeof(*c->requested));
	assert_non_null(c->requested);
	c->requested[0] = (struct state_report_requested){
		dup("LOG"), dup("hello"), STATE_REPORT_BOUND_CHILD, dup("log"),
		STATE_REPORT_READY
	};
	c->requested[1] = (struct state_report_requested){
		dup("ROM"), dup("hello -> hello"), STATE_REPORT_BOUND_PARENT,
		NULL, STATE_REPORT_PENDING
	};
	c->requested[2] = (struct state_report_requested){
		dup("ROM"), dup("hello -> config"), STATE_REPORT_BOUND_INIT,
		NULL, STATE_REPORT_CLOSED
	};

	c = &r->children[2];
	c->name = dup("once");
	c->binary = dup("once");
	c->id = 2;
	c->state = STATE_REPORT_EXITED;
	c->has_exit_code = true;
	c->exit_code = -3;
	return r;
}

static char *write_ok(const struct state_report *r)
{
	struct runtime_config_error error;
	char *text = state_report_to_json(r, &error);

	if (text == NULL)
		fail_msg("writer refused: %s", error.message);
	return text;
}

static struct state_report *parse_ok(const char *text)
{
	struct runtime_config_error error;
	struct state_report *r = NULL;

	if (state_report_parse(text, strlen(text), &r, &error) !=
	    RUNTIME_CONFIG_OK)
		fail_msg("parser refused: %s\n%s", error.message, text);
	assert_non_null(r);
	return r;
}

/* The parser's message for `text`, which it must refuse. */
static const char *refused(const char *text)
{
	static struct runtime_config_error error;
	struct state_report *r = (struct state_report *)1;

	assert_int_not_equal(state_report_parse(text, strlen(text), &r, &error),
	                     RUNTIME_CONFIG_OK);
	assert_null(r);
	assert_true(strlen(error.message) > 0);
	return error.message;
}

static void test_round_trip(void **state)
{
	struct state_report *model = sample();
	char *text = write_ok(model);
	struct state_report *back = parse_ok(text);
	char *again = write_ok(back);

	(void)state;
	assert_string_equal(text, again);
	assert_string_equal(back->config_version, "7");
	assert_int_equal(back->ram.quota, 64u << 20);
	assert_int_equal(back->caps.avail, 700);
	assert_int_equal(back->child_count, 3);
	assert_string_equal(back->children[0].provides.names[0], "LOG");
	assert_int_equal(back->children[0].served_left_out, 2);
	assert_string_equal(back->children[0].served[0].client, "hello");
	assert_string_equal(back->children[1].pkg,
	                    "alice/pkg/hello/2026-11-21");
	assert_null(back->children[1].binary);
	assert_int_equal(back->children[1].id, 4);
	assert_int_equal(back->children[1].restarts, 3);
	assert_int_equal(back->children[1].skipped_heartbeats, 2);
	assert_true(back->children[1].has_resource_request);
	assert_int_equal(back->children[1].request_ram, 65536);
	assert_int_equal(back->children[1].request_caps, 1);
	assert_false(back->children[0].has_resource_request);
	assert_non_null(strstr(
		text, "\"resource_request\":{\"ram\":65536,\"caps\":1},"));
	assert_true(back->children[1].has_yield_request);
	assert_int_equal(back->children[1].yield_ram, 4096);
	assert_int_equal(back->children[1].yield_caps, 2);
	assert_false(back->children[0].has_yield_request);
	assert_non_null(strstr(text,
	                       "\"yield_request\":{\"ram\":4096,\"caps\":2},"));
	assert_int_equal(back->children[0].skipped_heartbeats, 0);
	assert_null(strstr(text, "\"restarts\":0,\"skipped_heartbeats\""));
	assert_non_null(strstr(text,
	                       "\"restarts\":3,\"skipped_heartbeats\":2,"));
	assert_int_equal(back->children[1].requested[0].bound,
	                 STATE_REPORT_BOUND_CHILD);
	assert_string_equal(back->children[1].requested[0].server, "log");
	assert_null(back->children[1].requested[1].server);
	assert_int_equal(back->children[1].requested[2].state,
	                 STATE_REPORT_CLOSED);
	assert_true(back->children[2].has_exit_code);
	assert_int_equal(back->children[2].exit_code, -3);
	assert_null(back->children[2].reason);
	free(text);
	free(again);
	state_report_free(back);

	/* without the session lists */
	model->sessions_left_out = true;
	text = write_ok(model);
	back = parse_ok(text);
	assert_true(back->sessions_left_out);
	assert_non_null(strstr(text, "\"sessions_left_out\":true"));
	free(text);
	state_report_free(model);
	state_report_free(back);
}

/* The exact text, so that a change of the format shows here and in the
 * README's example at once. */
static void test_canonical_text(void **state)
{
	struct state_report *model = sample();
	char *text;

	(void)state;
	model->child_count = 1; /* only "log"; the others are freed below */
	text = write_ok(model);
	assert_string_equal(
		text,
		"{\"config_version\":\"7\",\"init\":{\"ram\":{\"quota\":67108864,"
		"\"used\":5242880,\"avail\":61865984},\"caps\":{\"quota\":1000,"
		"\"used\":300,\"avail\":700}},\"children\":[{\"name\":\"log\","
		"\"binary\":\"log_server\",\"id\":1,\"state\":\"running\",\"restarts\":0,"
		"\"ram\":{\"assigned\":4194304,\"quota\":4194304,\"used\":1048576,"
		"\"avail\":3145728},\"caps\":{\"assigned\":50,\"quota\":50,\"used\":20,"
		"\"avail\":30},\"provides\":[\"LOG\"],\"served\":[{\"client\":\"hello\","
		"\"label\":\"hello\",\"state\":\"ready\"}],\"served_left_out\":2}]}");
	model->child_count = 3;
	free(text);
	state_report_free(model);
}

static void test_unknown_fields_are_ignored(void **state)
{
	struct state_report *r = parse_ok(
		"{\"future\":[1,{\"x\":2}],\"init\":{\"ram\":{\"quota\":1,\"used\":0,"
		"\"avail\":1,\"peak\":1},\"caps\":{\"quota\":2,\"used\":1,\"avail\":1},"
		"\"cpu\":7},\"children\":[{\"name\":\"a\",\"binary\":\"a\",\"id\":9,"
		"\"state\":\"failed\",\"reason\":\"cannot start: no ROM\",\"restarts\":0,"
		"\"ram\":{\"assigned\":1,\"quota\":0,\"used\":0,\"avail\":0},"
		"\"caps\":{\"assigned\":1,\"quota\":0,\"used\":0,\"avail\":0},"
		"\"uptime_ms\":5,\"requested\":[{\"service\":\"LOG\",\"label\":\"a\","
		"\"bound\":\"none\",\"state\":\"denied\",\"why\":\"x\"}],"
		"\"served\":[{\"client\":\"b\",\"label\":\"b -> a\",\"state\":\"pending\","
		"\"since\":1}]}],\"sessions_left_out\":false}");

	(void)state;
	assert_null(r->config_version);
	assert_int_equal(r->ram.quota, 1);
	assert_int_equal(r->children[0].state, STATE_REPORT_FAILED);
	assert_string_equal(r->children[0].reason, "cannot start: no ROM");
	assert_int_equal(r->children[0].requested[0].bound,
	                 STATE_REPORT_BOUND_NONE);
	assert_int_equal(r->children[0].served[0].state, STATE_REPORT_PENDING);
	state_report_free(r);
}

#define INIT "\"init\":{\"ram\":{\"quota\":1,\"used\":0,\"avail\":1}," \
             "\"caps\":{\"quota\":1,\"used\":0,\"avail\":1}}"
#define AMOUNTS "\"ram\":{\"assigned\":1,\"quota\":1,\"used\":0,\"avail\":1}," \
                "\"caps\":{\"assigned\":1,\"quota\":1,\"used\":0,\"avail\":1}"
#define CHILD(name, id, rest) "{\"name\":\"" name "\",\"binary\":\"b\",\"id\":" \
                              #id ",\"restarts\":0," AMOUNTS rest "}"
#define RUNNING ",\"state\":\"running\""
#define DOC(children) "{" INIT ",\"children\":[" children "]}"
#define SESSION(fields) DOC(CHILD("a", 1, RUNNING ",\"requested\":[{" fields "}]"))

static void test_broken_reports_are_refused(void **state)
{
	(void)state;
	/* the frame is valid */
	state_report_free(parse_ok(DOC(CHILD("a", 1, RUNNING))));

	assert_string_equal(refused("[]"),
	                    "a state report must be a JSON object");
	assert_string_equal(refused("{\"children\":[]}"),
	                    "\"init\" is missing (init's own quota)");
	assert_string_equal(refused("{" INIT "}"),
	                    "\"children\" is missing (the list of children)");
	assert_string_equal(
		refused("{\"init\":{\"ram\":{\"quota\":1,\"used\":0},"
	                "\"caps\":{}},\"children\":[]}"),
		"init: ram: \"avail\" is missing (what is left)");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, ""))),
		"children[0] \"a\": \"state\" is missing (starting, running, "
		"incomplete, exited, restarting or failed)");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, ",\"state\":\"sleeping\""))),
		"children[0] \"a\": \"state\" value \"sleeping\" is none of "
		"the known ones");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, ",\"state\":\"exited\""))),
		"children[0] \"a\": \"exit_code\" is missing (the child exited)");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, RUNNING ",\"exit_code\":0"))),
		"children[0] \"a\": \"exit_code\" is given but the state is "
		"\"running\"");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, ",\"state\":\"incomplete\""))),
		"children[0] \"a\": \"reason\" is missing (the state is "
		"\"incomplete\")");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, RUNNING ",\"reason\":\"x\""))),
		"children[0] \"a\": \"reason\" is given but the state is "
		"\"running\"");
	assert_string_equal(
		refused(DOC(CHILD("a", 1,
	                          ",\"state\":\"exited\","
	                          "\"exit_code\":1.5"))),
		"children[0] \"a\": \"exit_code\" must be a whole number "
		"from -2147483648 to 2147483647");
	assert_string_equal(
		refused(DOC(
			"{\"name\":\"a\",\"id\":1,\"restarts\":0," AMOUNTS RUNNING
			"}")),
		"children[0] \"a\": needs \"binary\" or \"pkg\"");
	assert_string_equal(refused(DOC(CHILD("a", 0, RUNNING))),
	                    "children[0] \"a\": \"id\" must be at least 1");
	assert_string_equal(
		refused(DOC(CHILD("a", -1, RUNNING))),
		"children[0] \"a\": \"id\" must be a whole number from 0 "
		"to 9007199254740991");
	assert_string_equal(
		refused(DOC(CHILD("a", 9007199254740992, RUNNING))),
		"children[0] \"a\": \"id\" must be a whole number from 0 "
		"to 9007199254740991");
	assert_string_equal(refused(DOC(CHILD("a", 1,
	                                      RUNNING) "," CHILD("a", 2,
	                                                         RUNNING))),
	                    "child \"a\" is listed twice");
	assert_string_equal(refused(DOC(CHILD("a", 3,
	                                      RUNNING) "," CHILD("b", 3,
	                                                         RUNNING))),
	                    "children \"a\" and \"b\" have the same id 3");
	assert_string_equal(
		refused(DOC(CHILD("A", 1, RUNNING))),
		"children[0]: \"name\" value \"A\" may hold only a-z, 0-9, "
		"'_', '.' and '-'");
	assert_string_equal(refused(DOC(CHILD("a", 1, RUNNING ",\"id\":2"))),
	                    "children[0] \"a\": field \"id\" given twice");
	assert_string_equal(refused(DOC("7")),
	                    "children[0]: must be an object");
	assert_string_equal(refused(DOC(CHILD("a", 1, RUNNING ",\"ram\":[]"))),
	                    "children[0] \"a\": field \"ram\" given twice");
	/* the supervision fields */
	assert_string_equal(
		refused(DOC(CHILD("a", 1,
	                          RUNNING ",\"skipped_heartbeats\":-1"))),
		"children[0] \"a\": \"skipped_heartbeats\" must be a whole "
		"number from 0 to 9007199254740991");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, RUNNING ",\"resource_request\":1"))),
		"children[0] \"a\": resource_request: must be an object");
	assert_string_equal(
		refused(DOC(CHILD("a", 1,
	                          RUNNING
	                          ",\"resource_request\":{\"ram\":1}"))),
		"children[0] \"a\": resource_request: \"caps\" is missing "
		"(the capabilities asked for)");
	assert_string_equal(
		refused(DOC(CHILD("a", 1, RUNNING ",\"yield_request\":[]"))),
		"children[0] \"a\": yield_request: must be an object");
	assert_string_equal(
		refused(DOC(CHILD("a", 1,
	                          RUNNING ",\"yield_request\":{\"caps\":1}"))),
		"children[0] \"a\": yield_request: \"ram\" is missing "
		"(the bytes still owed)");
}

static void test_broken_sessions_are_refused(void **state)
{
	(void)state;
	state_report_free(
		parse_ok(SESSION("\"service\":\"LOG\",\"label\":\"a\","
	                         "\"bound\":\"child\",\"server\":\"b\","
	                         "\"state\":\"ready\"")));
	assert_string_equal(
		refused(SESSION("\"service\":\"LOG\",\"label\":\"a\","
	                        "\"bound\":\"child\",\"state\":\"ready\"")),
		"children[0] \"a\": requested[0]: \"server\" is missing "
		"(the child it is bound to)");
	assert_string_equal(
		refused(SESSION("\"service\":\"LOG\",\"label\":\"a\","
	                        "\"bound\":\"parent\",\"server\":\"b\","
	                        "\"state\":\"ready\"")),
		"children[0] \"a\": requested[0]: \"server\" is given but "
		"\"bound\" is \"parent\"");
	assert_string_equal(
		refused(SESSION("\"service\":\"LOG\",\"label\":\"a\","
	                        "\"bound\":\"moon\",\"state\":\"ready\"")),
		"children[0] \"a\": requested[0]: \"bound\" value \"moon\" "
		"is none of the known ones");
	assert_string_equal(
		refused(SESSION("\"service\":\"LOG\",\"label\":\"a\\u0001\","
	                        "\"bound\":\"none\",\"state\":\"ready\"")),
		"children[0] \"a\": requested[0]: \"label\" value \"a?\" "
		"may hold only printable UTF-8 (no control characters, "
		"C1 included, and no invalid bytes)");
	assert_string_equal(
		refused(SESSION("\"label\":\"a\",\"bound\":\"none\","
	                        "\"state\":\"ready\"")),
		"children[0] \"a\": requested[0]: \"service\" is missing "
		"(a service name)");
	assert_string_equal(
		refused(DOC(CHILD("a", 1,
	                          RUNNING
	                          ",\"served\":[{"
	                          "\"client\":\"b\",\"label\":\"b\"}]"))),
		"children[0] \"a\": served[0]: \"state\" is missing "
		"(pending, ready, denied or closed)");
	assert_string_equal(refused(DOC(CHILD("a", 1,
	                                      RUNNING ",\"served\":{}"))),
	                    "children[0] \"a\": \"served\" must be a list");
}

/* `count` copies of `piece`, joined by commas, between head and tail. */
static char *repeated(const char *head, const char *piece, size_t count,
                      const char *tail)
{
	size_t piece_length = strlen(piece);
	char *text = malloc(strlen(head) + (piece_length + 1) * count +
	                    strlen(tail) + 1);
	char *cursor;

	assert_non_null(text);
	strcpy(text, head);
	cursor = text + strlen(head);
	for (size_t i = 0; i < count; i++) {
		if (i)
			*cursor++ = ',';
		memcpy(cursor, piece, piece_length);
		cursor += piece_length;
	}
	strcpy(cursor, tail);
	return text;
}

/* What `sculpt status` prints must not command the user's terminal: C1
 * controls (as UTF-8 or as JSON escapes) and bytes that are no UTF-8 are
 * refused like C0, where the report holds free text. */
static void test_c1_and_invalid_utf8_are_refused(void **state)
{
	static const char *const hostile[] = {
		"\xc2\x9b"
		"2J",        /* CSI, a C1 control, as UTF-8 */
		"\\u009b2J", /* the same as a JSON escape */
		"\\u0085",   /* NEL */
		"\x9b"
		"2J",               /* CSI as a raw byte: no UTF-8 */
		"\xc0\xaf",         /* an overlong '/' */
		"\xed\xa0\x80",     /* a surrogate */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"a\xe2\x82",        /* a character cut short */
	};
	char text[512];

	(void)state;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		snprintf(
			text, sizeof(text),
			SESSION("\"service\":\"LOG\",\"label\":"
		                "\"%s\",\"bound\":\"none\",\"state\":\"denied\""),
			hostile[i]);
		const char *message = refused(text);
		if (strstr(message, "may hold only printable UTF-8") == NULL)
			fail_msg("label %zu: %s", i, message);
		snprintf(text, sizeof(text),
		         "{\"config_version\":\"%s\"," INIT ",\"children\":[]}",
		         hostile[i]);
		refused(text);
	}
	/* printable characters beyond ASCII stay readable */
	snprintf(
		text, sizeof(text),
		SESSION("\"service\":\"LOG\",\"label\":"
	                "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"bound\":\"none\","
	                "\"state\":\"denied\""));
	state_report_free(parse_ok(text));
}

/* A component chooses its session labels: the writer shows them made
 * printable instead of failing to write the whole report. */
static void test_writer_makes_component_labels_printable(void **state)
{
	struct state_report *model = sample();
	struct state_report_child *hello = &model->children[1];
	char *text;

	(void)state;
	free(hello->requested[0].label);
	hello->requested[0].label = dup("hello\x1b]0;x\x07\xc2\x9b"
	                                "2J\xff"
	                                "caf\xc3\xa9");
	free(model->children[0].served[0].label);
	model->children[0].served[0].label = dup("\x9b"
	                                         "31m");
	text = write_ok(model);
	struct state_report *back = parse_ok(text);
	assert_string_equal(back->children[1].requested[0].label,
	                    "hello?]0;x???2J?caf\xc3\xa9");
	assert_string_equal(back->children[0].served[0].label, "?31m");
	state_report_free(back);
	free(text);
	state_report_free(model);
}

static void test_hostile_sizes_are_refused(void **state)
{
	char *text;

	(void)state;
	text = repeated(
		"{" INIT ",\"children\":[{\"name\":\"a\",\"binary\":\"b\","
		"\"id\":1,\"restarts\":0," AMOUNTS RUNNING ",\"requested\":[",
		"{\"service\":\"LOG\",\"label\":\"a\",\"bound\":\"none\","
		"\"state\":\"denied\"}",
		STATE_REPORT_REQUESTED_MAX + 1, "]}]}");
	assert_string_equal(refused(text),
	                    "children[0] \"a\": \"requested\" has more "
	                    "than 256 entries");
	free(text);

	text = repeated("{" INIT ",\"children\":[", "7", 1025, "]}");
	assert_string_equal(refused(text),
	                    "\"children\" has more than 1024 entries");
	free(text);

	text = repeated("", "[", 100, "");
	assert_string_equal(refused(text),
	                    "line 1, column 129: nested more than 64 deep");
	free(text);

	text = repeated("{" INIT ",\"pad\":\"", "x", STATE_REPORT_INPUT_MAX,
	                "\"}");
	{
		char expected[96];
		snprintf(expected, sizeof(expected),
		         "state report is %zu bytes, more "
		         "than the 1048576 allowed",
		         strlen(text));
		assert_string_equal(refused(text), expected);
	}
	free(text);

	{
		static const char nul[] = "{" INIT ",\"children\":[]}\0";
		struct runtime_config_error error;
		struct state_report *r;
		assert_int_equal(state_report_parse(nul, sizeof(nul) - 1, &r,
		                                    &error),
		                 RUNTIME_CONFIG_BAD_JSON);
		assert_null(r);
	}
	assert_int_equal(strncmp(refused("{" INIT ",\"children\":[]} x"),
	                         "line 1", 6),
	                 0);
	assert_string_equal(refused("{\"init\":1,\"children\":[]}"),
	                    "init: must be an object");
}

static void test_writer_refuses_broken_models(void **state)
{
	struct state_report *model = sample();
	struct runtime_config_error error;

	(void)state;
	free(model->children[1].requested[0].server);
	model->children[1].requested[0].server = NULL;
	assert_null(state_report_to_json(model, &error));
	assert_string_equal(error.message,
	                    "children[1] \"hello\": requested[0]: "
	                    "\"server\" is missing (the child it is bound to)");
	model->children[1].requested[0].server = dup("log");

	model->children[2].state = STATE_REPORT_FAILED;
	assert_null(state_report_to_json(model, &error));
	assert_string_equal(error.message,
	                    "children[2] \"once\": \"exit_code\" is given "
	                    "but the state is \"failed\"");
	model->children[2].state = STATE_REPORT_EXITED;

	model->ram.used = STATE_REPORT_NUMBER_MAX + 1;
	assert_null(state_report_to_json(model, &error));
	assert_string_equal(error.message,
	                    "init: ram: \"used\" must be a whole number "
	                    "from 0 to 9007199254740991");
	model->ram.used = 0;

	model->children[0].state = (enum state_report_child_state)42;
	assert_null(state_report_to_json(model, &error));
	assert_string_equal(error.message,
	                    "children[0] \"log\": \"state\" value \"?\" is "
	                    "none of the known ones");
	state_report_free(model);
}

/* A child with every session list full of the longest labels: about
 * 560 KiB of report text. */
static void fill_big(struct state_report_child *c, const char *name,
                     uint64_t id)
{
	char label[STATE_REPORT_LABEL_MAX + 1];
	char client[32];

	memset(label, 'l', STATE_REPORT_LABEL_MAX);
	label[STATE_REPORT_LABEL_MAX] = '\0';
	c->name = dup(name);
	c->binary = dup(name);
	c->id = id;
	c->requested = calloc(STATE_REPORT_REQUESTED_MAX,
	                      sizeof(*c->requested));
	c->served = calloc(STATE_REPORT_SERVED_MAX, sizeof(*c->served));
	assert_non_null(c->requested);
	assert_non_null(c->served);
	for (size_t i = 0; i < STATE_REPORT_REQUESTED_MAX; i++) {
		c->requested[i] = (struct state_report_requested){
			dup("LOG"), dup(label), STATE_REPORT_BOUND_NONE, NULL,
			STATE_REPORT_DENIED
		};
		c->requested_count = i + 1;
	}
	for (size_t i = 0; i < STATE_REPORT_SERVED_MAX; i++) {
		snprintf(client, sizeof(client), "c%zu", i);
		c->served[i] = (struct state_report_served){
			dup(client), dup(label), STATE_REPORT_READY
		};
		c->served_count = i + 1;
	}
}

/* A model whose text would pass the bound: the writer refuses it with
 * the parser's words (init then writes it without session lists). */
static void test_writer_refuses_oversized_reports(void **state)
{
	struct state_report *r = calloc(1, sizeof(*r));
	struct runtime_config_error error;

	(void)state;
	assert_non_null(r);
	r->children = calloc(2, sizeof(*r->children));
	assert_non_null(r->children);
	r->child_count = 2;
	fill_big(&r->children[0], "big", 1);
	fill_big(&r->children[1], "bigger", 2);
	assert_null(state_report_to_json(r, &error));
	assert_non_null(strstr(error.message, "more than the 1048576 allowed"));
	assert_int_equal(strncmp(error.message, "state report is ", 16), 0);

	/* without the session lists it fits */
	r->sessions_left_out = true;
	for (size_t i = 0; i < 2; i++) {
		struct state_report_child *c = &r->children[i];
		for (size_t j = 0; j < c->requested_count; j++) {
			free(c->requested[j].service);
			free(c->requested[j].label);
		}
		for (size_t j = 0; j < c->served_count; j++) {
			free(c->served[j].client);
			free(c->served[j].label);
		}
		c->requested_count = c->served_count = 0;
	}
	char *text = write_ok(r);
	free(text);
	state_report_free(r);
}

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(
		state_report_child_state_name(STATE_REPORT_RESTARTING),
		"restarting");
	assert_string_equal(
		state_report_session_state_name(STATE_REPORT_DENIED), "denied");
	assert_string_equal(state_report_bound_name(STATE_REPORT_BOUND_INIT),
	                    "init");
	assert_null(state_report_bound_name((enum state_report_bound)9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_canonical_text),
		cmocka_unit_test(test_unknown_fields_are_ignored),
		cmocka_unit_test(test_broken_reports_are_refused),
		cmocka_unit_test(test_broken_sessions_are_refused),
		cmocka_unit_test(test_hostile_sizes_are_refused),
		cmocka_unit_test(test_c1_and_invalid_utf8_are_refused),
		cmocka_unit_test(test_writer_makes_component_labels_printable),
		cmocka_unit_test(test_writer_refuses_broken_models),
		cmocka_unit_test(test_writer_refuses_oversized_reports),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
