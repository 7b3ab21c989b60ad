/*
 * Unit tests of libformat's plan of a configuration change
 * (runtime/format/plan.c): the reasons a restart gives, the routes_changed
 * mark, the start-up case and the words of config_plan_why_text. The fates
 * in init's use are tested by tests/unit/init/reconfig_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/plan.h"

#define HEAD "{\"parent_provides\":[\"ROM\",\"LOG\",\"Timer\"]," \
             "\"default_route\":[{\"service\":\"*\",\"to\":\"parent\"}],\"start\":["
#define TIMER "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"1M\"," \
              "\"caps\":100,\"provides\":[\"Timer\"]}"
#define CLIENT "{\"name\":\"client\",\"pkg\":\"a/pkg/c/1\",\"ram\":\"1M\"," \
               "\"route\":[{\"service\":\"Timer\",\"to\":\"timer\"}]}"

static struct runtime_config *parse(const char *text)
{
	struct runtime_config *config;
	struct runtime_config_error error;

	if (runtime_config_parse(text, strlen(text), &config, &error))
		fail_msg("config refused: %s", error.message);
	return config;
}

/* The plan of `before` -> `after`, for the running entry `name`. */
static struct config_plan_entry entry_of(const char *before, const char *after,
                                         const char *name)
{
	struct runtime_config *was = parse(before), *is = parse(after);
	struct config_plan plan;
	const struct runtime_child *c = runtime_config_find_child(was, name);
	struct config_plan_entry entry;

	assert_non_null(c);
	assert_int_equal(config_plan_compare(was, is, &plan),
	                 RUNTIME_CONFIG_OK);
	entry = plan.old[c - was->start];
	config_plan_free(&plan);
	runtime_config_free(was);
	runtime_config_free(is);
	return entry;
}

static void test_restart_reasons(void **state)
{
	struct config_plan_entry e;

	(void)state;
	e = entry_of(HEAD TIMER "," CLIENT "]}",
	             HEAD TIMER
	             ",{\"name\":\"client\",\"pkg\":\"a/pkg/c/2\","
	             "\"ram\":\"512K\",\"route\":[{\"service\":\"Timer\","
	             "\"to\":\"timer\"}]}]}",
	             "client");
	assert_int_equal(e.fate, CONFIG_PLAN_RESTART);
	assert_int_equal(e.restart_why, CONFIG_PLAN_WHY_PKG);
	assert_string_equal(config_plan_why_text(e.restart_why),
	                    "its pkg changed");
	e = entry_of(HEAD TIMER "]}",
	             HEAD
	             "{\"name\":\"timer\",\"binary\":\"t2\","
	             "\"ram\":\"1M\",\"caps\":100,\"provides\":[\"Timer\"]}]}",
	             "timer");
	assert_int_equal(e.restart_why, CONFIG_PLAN_WHY_BINARY);
	assert_string_equal(config_plan_why_text(e.restart_why),
	                    "its binary changed");
	assert_string_equal(config_plan_why_text(CONFIG_PLAN_WHY_VERSION),
	                    "its version changed");
	assert_string_equal(config_plan_why_text(0), "");
}

static void test_routes_changed(void **state)
{
	struct config_plan_entry e;

	(void)state;
	/* the client's rule now goes to the parent */
	e = entry_of(HEAD TIMER "," CLIENT "]}",
	             HEAD TIMER
	             ",{\"name\":\"client\",\"pkg\":\"a/pkg/c/1\","
	             "\"ram\":\"1M\",\"route\":[{\"service\":\"Timer\","
	             "\"to\":\"parent\"}]}]}",
	             "client");
	assert_int_equal(e.fate, CONFIG_PLAN_UNCHANGED);
	assert_true(e.routes_changed);
	/* the timer's own rules did not change, and neither did the default */
	e = entry_of(HEAD TIMER "," CLIENT "]}", HEAD TIMER "," CLIENT "]}",
	             "timer");
	assert_int_equal(e.fate, CONFIG_PLAN_UNCHANGED);
	assert_false(e.routes_changed);
	/* a changed default route concerns every child */
	e = entry_of(
		HEAD TIMER "]}",
		"{\"parent_provides\":[\"ROM\",\"LOG\"],"
		"\"default_route\":[{\"service\":\"LOG\",\"to\":\"parent\"}],"
		"\"start\":[" TIMER "]}",
		"timer");
	assert_true(e.routes_changed);
}

static void test_start_up_adds_all(void **state)
{
	struct runtime_config *next = parse(HEAD TIMER "," CLIENT "]}");
	struct config_plan plan;

	(void)state;
	assert_int_equal(config_plan_compare(NULL, next, &plan),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(plan.old_count, 0);
	assert_int_equal(plan.new_count, 2);
	assert_true(plan.added[0] && plan.added[1]);
	config_plan_free(&plan);
	assert_null(plan.old);
	runtime_config_free(next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_reasons),
		cmocka_unit_test(test_routes_changed),
		cmocka_unit_test(test_start_up_adds_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
