/*
 * Unit tests of init's reconfiguration (runtime/init/reconfig.c over
 * libformat's format/plan.h): the checks and the comparison of a running
 * config with a new one by start name, without processes. Added, removed, config changed, quota raised and lowered,
 * binary/pkg/version changed, unchanged (also with changed routes), a
 * rename (remove + add), the start-up case, and new configs that are
 * refused as a whole (bad JSON, an unknown child in a route, duplicate
 * names, over the quota) while the running config stays as it was; pkg
 * entries merged with their runtime file (a fake reader here) before the
 * quota check and the comparison, a changed pkg version restarting only
 * that child.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/pkg_runtime.h"
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

/* Init's pkg reader, faked: hello/1 and hello/2 need 3M and 30 caps and
 * provide Hello, big/1 needs 1G; any other pkg is missing. */
static int fake_merge(void *ctx, const struct runtime_child *entry,
                      struct runtime_child *merged)
{
	static const char hello[] =
		"{\"binary\":\"hello\",\"ram\":\"3M\",\"caps\":30,"
		"\"provides\":[\"Hello\"]}";
	static const char big[] =
		"{\"binary\":\"big\",\"ram\":\"1G\",\"caps\":1}";
	const char *text = !strcmp(entry->pkg, "alice/pkg/hello/1") ||
	                                   !strcmp(entry->pkg,
	                                           "alice/pkg/hello/2")
	                           ? hello
	                   : !strcmp(entry->pkg, "alice/pkg/big/1") ? big
	                                                            : NULL;
	struct pkg_runtime *runtime = NULL;
	struct runtime_config_error error;

	(void)ctx;
	if (!text)
		return -1;
	assert_int_equal(pkg_runtime_parse(text, strlen(text), &runtime,
	                                   &error),
	                 0);
	assert_int_equal(runtime_child_apply_pkg(entry, runtime, merged,
	                                         &error),
	                 0);
	pkg_runtime_free(runtime);
	return 0;
}

static const struct reconfig_pkgs pkgs = { fake_merge, NULL };

struct fixture {
	struct runtime_config *running;
	struct runtime_config *next;
	struct config_plan plan;
	char *running_text; /* its canonical form, to see it untouched */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct runtime_config_error error;
	struct config_plan plan;

	assert_non_null(f);
	if (reconfig_prepare(NULL, RUNNING, strlen(RUNNING), &budget, &pkgs,
	                     &f->running, &plan, &error))
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

	if (reconfig_prepare(f->running, text, strlen(text), &budget, &pkgs,
	                     &f->next, &f->plan, &error))
		fail_msg("new config refused: %s", error.message);
	assert_int_equal(f->plan.old_count, f->running->start_count);
	assert_int_equal(f->plan.new_count, f->next->start_count);
	return &f->plan;
}

/* The fate of the running entry `name`. */
static const struct config_plan_entry *fate(struct fixture *f, const char *name)
{
	const struct runtime_child *c = runtime_config_find_child(f->running,
	                                                          name);

	assert_non_null(c);
	return &f->plan.old[c - f->running->start];
}

static bool added(struct fixture *f, const char *name)
{
	const struct runtime_child *c = runtime_config_find_child(f->next,
	                                                          name);

	assert_non_null(c);
	return f->plan.added[c - f->next->start];
}

static void assert_unchanged(struct fixture *f, const char *name)
{
	assert_int_equal(fate(f, name)->fate, CONFIG_PLAN_UNCHANGED);
	assert_false(added(f, name));
	assert_string_equal(f->next->start[fate(f, name)->next].name, name);
}

static void assert_refused(struct fixture *f, const char *text,
                           const char *words)
{
	struct runtime_config_error error;

	assert_int_not_equal(reconfig_prepare(f->running, text, strlen(text),
	                                      &budget, &pkgs, &f->next,
	                                      &f->plan, &error),
	                     0);
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

	assert_int_equal(reconfig_prepare(NULL, RUNNING, strlen(RUNNING),
	                                  &budget, &pkgs, &f->next, &f->plan,
	                                  &error),
	                 0);
	assert_int_equal(f->plan.old_count, 0);
	assert_int_equal(f->plan.new_count, 3);
	for (size_t i = 0; i < 3; i++)
		assert_true(f->plan.added[i]);
}

static void test_added_entry_starts_the_others_stay(void **state)
{
	struct fixture *f = *state;

	plan_for(
		f, HEAD TIMER
		"," COUNTER ","
		"{\"name\":\"extra\",\"binary\":\"probe\",\"ram\":\"1M\"}," CLIENT
		"]}");
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

	plan_for(f, HEAD TIMER
	         ",{\"name\":\"counter\",\"binary\":\"counter\","
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

	plan_for(f,
	         HEAD "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"3M\","
	              "\"caps\":150,\"provides\":[\"Timer\"]}," COUNTER
	              "," CLIENT "]}");
	assert_int_equal(fate(f, "timer")->fate, CONFIG_PLAN_UPDATE);
	assert_false(fate(f, "timer")->config_changed);
	assert_int_equal(fate(f, "timer")->ram_raise, 2u << 20);
	assert_int_equal(fate(f, "timer")->caps_raise, 50);
}

/* A lowered quota is taken back live (runtime/init/README.md, "Quota
 * downgrade"): an update that says how much, never a restart. */
static void test_lowered_quota_is_an_update(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD
	         "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"512K\","
	         "\"caps\":100,\"provides\":[\"Timer\"]}," COUNTER "," CLIENT
	         "]}");
	assert_int_equal(fate(f, "timer")->fate, CONFIG_PLAN_UPDATE);
	assert_int_equal(fate(f, "timer")->ram_lower, 512u << 10);
	assert_int_equal(fate(f, "timer")->caps_lower, 0);
	assert_int_equal(fate(f, "timer")->ram_raise, 0);
	plan_for(f,
	         HEAD "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"2M\","
	              "\"caps\":99,\"provides\":[\"Timer\"]}," COUNTER
	              "," CLIENT "]}");
	assert_int_equal(fate(f, "timer")->fate, CONFIG_PLAN_UPDATE);
	assert_int_equal(fate(f, "timer")->ram_raise, 1u << 20);
	assert_int_equal(fate(f, "timer")->caps_lower, 1);
	assert_int_equal(fate(f, "timer")->ram_lower, 0);
	assert_int_equal(fate(f, "timer")->caps_raise, 0);
}

static void test_changed_binary_or_version_restarts(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER
	         ",{\"name\":\"counter\",\"binary\":\"counter2\","
	         "\"ram\":\"2M\",\"config\":{\"start\":1}}," CLIENT "]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_RESTART);
	assert_false(added(f, "counter"));
	assert_unchanged(f, "timer");
	assert_unchanged(f, "client");

	plan_for(
		f, HEAD TIMER
		",{\"name\":\"counter\",\"binary\":\"counter\","
		"\"ram\":\"2M\",\"config\":{\"start\":1},\"version\":\"2\"}," CLIENT
		"]}");
	assert_int_equal(fate(f, "counter")->fate, CONFIG_PLAN_RESTART);
	assert_unchanged(f, "client");
}

static void test_changed_route_or_provides_keeps_the_process(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD
	         "{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":\"1M\","
	         "\"caps\":100,\"provides\":[\"Timer\",\"Clock\"]}," COUNTER ","
	         "{\"name\":\"client\",\"binary\":\"probe\",\"ram\":\"1M\"}]}");
	assert_unchanged(f, "timer");
	assert_unchanged(f, "client");
}

static void test_rename_is_remove_and_add(void **state)
{
	struct fixture *f = *state;

	plan_for(f, HEAD TIMER
	         ",{\"name\":\"counter2\",\"binary\":\"counter\","
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
	assert_refused(*state,
	               HEAD TIMER
	               ",{\"name\":\"client\",\"binary\":\"probe\","
	               "\"ram\":\"1M\",\"route\":[{\"service\":\"Timer\","
	               "\"to\":\"clock\"}]}]}",
	               "clock");
}

static void test_duplicate_name_is_refused(void **state)
{
	assert_refused(*state, HEAD TIMER "," TIMER "]}", "timer");
}

static void test_over_quota_is_refused(void **state)
{
	assert_refused(*state,
	               HEAD TIMER ",{\"name\":\"huge\",\"binary\":\"probe\","
	                          "\"ram\":\"1G\"}]}",
	               "huge");
}

#define HELLO(version) "{\"name\":\"hello\",\"pkg\":\"alice/pkg/hello/" version "\"}"

static void test_pkg_entry_gets_its_runtime_files_figures(void **state)
{
	struct fixture *f = *state;
	const struct runtime_child *hello;

	plan_for(f, HEAD TIMER "," COUNTER "," CLIENT "," HELLO("1") "]}");
	assert_true(added(f, "hello"));
	hello = runtime_config_find_child(f->next, "hello");
	assert_int_equal(hello->ram, 3 << 20);
	assert_int_equal(hello->caps, 30);
	assert_true(runtime_name_list_has(&hello->provides, "Hello"));
	assert_null(hello->binary);
	assert_string_equal(hello->pkg, "alice/pkg/hello/1");
}

static void test_pkg_quota_is_checked_with_merged_figures(void **state)
{
	/* the entry gives no ram; its runtime file asks for 1G */
	assert_refused(*state,
	               HEAD TIMER
	               ",{\"name\":\"big\",\"pkg\":\"alice/pkg/big/1\"}]}",
	               "start[1] \"big\": needs 1073741824 bytes of ram");
}

static void test_unreadable_pkg_stays_as_given(void **state)
{
	struct fixture *f = *state;
	const struct runtime_child *gone;

	plan_for(f,
	         HEAD TIMER ",{\"name\":\"gone\",\"pkg\":\"alice/pkg/gone/1\","
	                    "\"ram\":\"1M\"}]}");
	assert_true(added(f, "gone"));
	gone = runtime_config_find_child(f->next, "gone");
	assert_int_equal(gone->ram, 1 << 20);
	assert_false(gone->caps_given);
}

/* A new pkg version restarts that child and nothing else, even when the
 * merged figures stay the same. */
static void test_changed_pkg_version_restarts_only_it(void **state)
{
	const char *was = HEAD TIMER "," HELLO("1") "]}";
	const char *is = HEAD TIMER "," HELLO("2") "]}";
	struct runtime_config *running = NULL, *next = NULL;
	struct runtime_config_error error;
	struct config_plan plan;

	(void)state;
	assert_int_equal(reconfig_prepare(NULL, was, strlen(was), &budget,
	                                  &pkgs, &running, &plan, &error),
	                 0);
	config_plan_free(&plan);
	assert_int_equal(reconfig_prepare(running, is, strlen(is), &budget,
	                                  &pkgs, &next, &plan, &error),
	                 0);
	assert_int_equal(plan.old[0].fate, CONFIG_PLAN_UNCHANGED);
	assert_int_equal(plan.old[1].fate, CONFIG_PLAN_RESTART);
	assert_false(plan.added[0] || plan.added[1]);
	config_plan_free(&plan);
	runtime_config_free(next);
	/* the same version again: nothing */
	assert_int_equal(reconfig_prepare(running, was, strlen(was), &budget,
	                                  &pkgs, &next, &plan, &error),
	                 0);
	assert_int_equal(plan.old[1].fate, CONFIG_PLAN_UNCHANGED);
	config_plan_free(&plan);
	runtime_config_free(next);
	runtime_config_free(running);
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
		T(test_lowered_quota_is_an_update),
		T(test_changed_binary_or_version_restarts),
		T(test_changed_route_or_provides_keeps_the_process),
		T(test_rename_is_remove_and_add),
		T(test_bad_json_is_refused),
		T(test_unknown_child_in_route_is_refused),
		T(test_duplicate_name_is_refused),
		T(test_over_quota_is_refused),
		T(test_pkg_entry_gets_its_runtime_files_figures),
		T(test_pkg_quota_is_checked_with_merged_figures),
		T(test_unreadable_pkg_stays_as_given),
		T(test_changed_pkg_version_restarts_only_it),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
