/*
 * Unit tests of init's reconfiguration (runtime/init/reconfig.c over
 * libformat's format/plan.h): the checks and the comparison of a running
 * config with a new one by start name, without processes. Added, removed, config changed, quota raised and lowered,
 * binary/pkg/version changed, unchanged (also with changed routes), a
 * rename (remove + add), the start-up case, and new configs that are
 * refused as a whole (bad JSON, an unknown child in a route, duplicate
 * names, over the quota, pkg) while the running config stays as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reconfig.h"

#define HEAD "{\"parent_provides\":[\"ROM\",\"LOG\",\"PD\",\"CPU\"]," \
             "\"default_route\":[{\"service\":\"*\",\"to\":\"parent\"}],\"start\":["
#define TIMER "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"1M\"," \
              "\"caps\":100,\"provides\":[\"Timer\"]}"
#define COUNTER "{\"name\":\"counter\",\"binary\":\"counter\",\"ram\":\"2M\"," \
                "\"config\":{\"start\":1}}"
#define CLIENT "{\"name\":\"client\",\"binary\":\"probe\",\"ram\":\"1M\"," \
               "\"route\":[{\"service\":\"Timer\",\"to\":\"timer\"}]}"
#define RUNNING HEAD TIMER "," COUNTER "," CLIENT "]}"

static const struct reconfig_budget budget = { 64ull << 20, 1000 };

struct fixture {
	struct runtime_config *running;
	struct runtime_config *next;
	struct config_plan plan;
	char *running_text;   /* its canonical form, to see it untouched */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct runtime_config_error error;
	struct config_plan plan;

	assert_non_null(f);
	if (reconfig_prepare(NULL, RUNNING, strlen(RUNNING), &budget, &f->running,
	                     &plan, &error))
		fail_msg("running config refused: %s", error.message);
	config_plan_free(&plan);
	f->running_text = runtime_config_to_json(f->running);
	assert_non_null(f->running_text);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *text = runtime_config_to_json(f->running);

	/* whatever was compared, the running config is as it was */
	assert_string_equal(text, f->running_text);
	free(text);
	free(f->running_text);
	runtime_config_free(f->running);
	runtime_config_free(f->next);
	config_plan_free(&f->plan);
	free(f);
	return 0;
}

/* Plans `text` against the running config (replacing an earlier plan). */
static const struct config_plan *plan_for(struct fixture *f, const char *text)
{
	struct runtime_config_error error;

	runtime_config_free(f->next);
	config_plan_free(&f->plan);

	if (reconfig_prepare(f->running, text, strlen(text), &budget, &f->next,
	                     &f->plan, &error))
		fail_msg("new config refused: %s", error.message);
	assert_int_equal(f->plan.old_count, f->running->start_count);
	assert_int_equal(f->plan.new_count, f->next->start_count);
	return &f->plan;
}

/* The fate of the running entry `name`. */
static const struct config_plan_entry *fate(struct fixture *f, const char *name)
{
	const struct runtime_child *c = runtime_config_find_child(f->running, name);

	assert_non_null(c);
	return &f->plan.old[c - f->running->start];
}

static bool added(struct fixture *f, const char *name)
{
	const struct runtime_child *c = runtime_config_find_child(f->next, name);

	assert_non_null(c);
	return f->plan.added[c - f->next->start];
}

static void assert_unchanged(struct fixture *f, const char *name)
{
	assert_int_equal(fate(f, name)->fate, CONFIG_PLAN_UNCHANGED);
	assert_false(added(f, name));
	assert_string_equal(f->next->start[fate(f, name)->next].name, name);
}

static void assert_refused(struct fixture *f, const char *text, const char *words)
{
	struct runtime_config_error error;

	assert_int_not_equal(reconfig_prepare(f->running, text, strlen(text), &budget,
	                                      &f->next, &f->plan, &error), 0);
	assert_null(f->next);
	assert_null(f->plan.old);
	assert_null(f->plan.added);
	if (!strstr(error.message, words))
		fail_msg("\"%s\" not in \"%s\"", words, error.message);
}

static void test_same_config_changes_nothing(void **state)
{
	struct fixture *f = *state;

	plan_for(f, RUNNING);
	assert_unchanged(f, "timer");
	assert_unchanged(f, "counter");
	assert_unchanged(f, "client");
}

static void test_start_up_adds_everything(void **state)
{
	struct fixture *f = *state;
	struct runtime_config_error error;

	assert_int_equal(reconfig_prepare(NULL, RUNNING, strlen(RUNNING), &budget,
	                                  &f->next, &f->plan, &error), 0);
	assert_int_equal(f->plan.old_count, 0);
	assert_int_equal(f->plan.new_count, 3);
	for (size_t i = 0; i < 3; i++)
		assert_true(f->plan.added[i]);
}

static void test_added_entry_starts_the_others_stay(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER "," COUNTER ","
	         "{\"name\":\"extra\",\"binary\":\"probe\",\"ram\":\"1M\"}," CLIENT "]}");
	assert_true(added(f, "extra"));
	assert_unchanged(f, "timer");
	assert_unchanged(f, "counter");
	assert_unchanged(f, "client");
	/* the client moved one place down and is still the same child */
	assert_int_equal(fate(f, "client")->next, 3);
}

static void test_removed_entry(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER "," CLIENT "]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_REMOVE);
	assert_unchanged(f, "timer");
	assert_unchanged(f, "client");
}

static void test_changed_config_is_an_update(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER ",{\"name\":\"counter\",\"binary\":\"counter\","
	         "\"ram\":\"2M\",\"config\":{\"start\":2}}," CLIENT "]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_UPDATE);
	assert_true(fate(f, "counter")->config_changed);
	assert_int_equal(fate(f, "counter")->ram_raise, 0);
	assert_int_equal(fate(f, "counter")->caps_raise, 0);
	assert_unchanged(f, "timer");
}

static void test_dropped_config_is_an_update_to_empty(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER ",{\"name\":\"counter\",\"binary\":\"counter\","
	         "\"ram\":\"2M\"}," CLIENT "]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_UPDATE);
	assert_true(fate(f, "counter")->config_changed);
}

static void test_raised_quota_is_an_update(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"3M\","
	         "\"caps\":150,\"provides\":[\"Timer\"]}," COUNTER "," CLIENT "]}");
	assert_int_equal(fate(f, "timer")->fate, CONFIG_PLAN_UPDATE);
	assert_false(fate(f, "timer")->config_changed);
	assert_int_equal(fate(f, "timer")->ram_raise, 2u << 20);
	assert_int_equal(fate(f, "timer")->caps_raise, 50);
}

static void test_lowered_quota_restarts(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"512K\","
	         "\"caps\":100,\"provides\":[\"Timer\"]}," COUNTER "," CLIENT "]}");
	assert_int_equal(fate(f, "timer")->fate, CONFIG_PLAN_RESTART);
	plan_for(f, HEAD "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"1M\","
	         "\"caps\":99,\"provides\":[\"Timer\"]}," COUNTER "," CLIENT "]}");
	assert_int_equal(fate(f, "timer")->fate, CONFIG_PLAN_RESTART);
}

static void test_changed_binary_or_version_restarts(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER ",{\"name\":\"counter\",\"binary\":\"counter2\","
	         "\"ram\":\"2M\",\"config\":{\"start\":1}}," CLIENT "]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_RESTART);
	assert_false(added(f, "counter"));
	assert_unchanged(f, "timer");
	assert_unchanged(f, "client");

	plan_for(f, HEAD TIMER ",{\"name\":\"counter\",\"binary\":\"counter\","
	         "\"ram\":\"2M\",\"config\":{\"start\":1},\"version\":\"2\"}," CLIENT "]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_RESTART);
	assert_unchanged(f, "client");
}

static void test_changed_route_or_provides_keeps_the_process(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"1M\","
	         "\"caps\":100,\"provides\":[\"Timer\",\"Clock\"]}," COUNTER ","
	         "{\"name\":\"client\",\"binary\":\"probe\",\"ram\":\"1M\"}]}");
	assert_unchanged(f, "timer");
	assert_unchanged(f, "client");
}

static void test_rename_is_remove_and_add(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER ",{\"name\":\"counter2\",\"binary\":\"counter\","
	         "\"ram\":\"2M\",\"config\":{\"start\":1}}," CLIENT "]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_REMOVE);
	assert_true(added(f, "counter2"));
	assert_unchanged(f, "timer");
}

static void test_bad_json_is_refused(void **state)
{
	assert_refused(*state, HEAD TIMER ",", "");
}

static void test_unknown_child_in_route_is_refused(void **state)
{
	assert_refused(*state, HEAD TIMER ",{\"name\":\"client\",\"binary\":\"probe\","
	               "\"ram\":\"1M\",\"route\":[{\"service\":\"Timer\","
	               "\"to\":\"clock\"}]}]}", "clock");
}

static void test_duplicate_name_is_refused(void **state)
{
	assert_refused(*state, HEAD TIMER "," TIMER "]}", "timer");
}

static void test_over_quota_is_refused(void **state)
{
	assert_refused(*state, HEAD TIMER ",{\"name\":\"huge\",\"binary\":\"probe\","
	               "\"ram\":\"1G\"}]}", "huge");
}

static void test_pkg_is_refused(void **state)
{
	assert_refused(*state, HEAD TIMER ",{\"name\":\"hello\","
	               "\"pkg\":\"alice/pkg/hello/1\",\"ram\":\"1M\"}]}", "hello");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_same_config_changes_nothing),
		T(test_start_up_adds_everything),
		T(test_added_entry_starts_the_others_stay),
		T(test_removed_entry),
		T(test_changed_config_is_an_update),
		T(test_dropped_config_is_an_update_to_empty),
		T(test_raised_quota_is_an_update),
		T(test_lowered_quota_restarts),
		T(test_changed_binary_or_version_restarts),
		T(test_changed_route_or_provides_keeps_the_process),
		T(test_rename_is_remove_and_add),
		T(test_bad_json_is_refused),
		T(test_unknown_child_in_route_is_refused),
		T(test_duplicate_name_is_refused),
		T(test_over_quota_is_refused),
		T(test_pkg_is_refused),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
