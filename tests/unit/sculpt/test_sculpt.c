/*
 * Unit tests of libsculpt (sculpt-cli/lib): the composition (parse, write,
 * edits, refusals), the routing of required services (automatic with one
 * provider, refused with none or several, naming the candidates), the
 * generated runtime configuration (canonical, pkg-derived fields,
 * overrides, rules only to components) and the plan in words (the lines of
 * `sculpt plan` over libformat's plan) and the verdict on an applied
 * generation from init's state report (watch.h), and a recorded
 * generation taken back (state.h). Pkg runtime files come from a fake
 * pkg_source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/composition.h"
#include "lib/generate.h"
#include "lib/plan_text.h"
#include "lib/state.h"
#include "lib/watch.h"

/* ---- a fake depot: pkg name -> runtime file ---------------------------- */

static const struct {
	const char *pkg, *runtime;
} fake_pkgs[] = {
	{ "a/pkg/timer/1", "{\"binary\":\"timer\",\"ram\":\"1M\",\"caps\":100,"
	                   "\"provides\":[\"Timer\"]}" },
	{ "a/pkg/timer/2", "{\"binary\":\"timer\",\"ram\":\"1M\",\"caps\":100,"
	                   "\"provides\":[\"Timer\"]}" },
	{ "a/pkg/clock/1", "{\"binary\":\"clock\",\"ram\":\"1M\",\"caps\":100,"
	                   "\"provides\":[\"Timer\",\"Clock\"]}" },
	{ "a/pkg/hello/1", "{\"binary\":\"hello\",\"ram\":\"2M\",\"caps\":60,"
	                   "\"requires\":[\"Timer\",\"LOG\"],"
	                   "\"config\":{\"greeting\":\"hi\"}}" },
	{ "a/pkg/hello/2", "{\"binary\":\"hello\",\"ram\":\"2M\",\"caps\":60,"
	                   "\"requires\":[\"Timer\",\"LOG\"]}" },
	{ "a/pkg/needy/1", "{\"binary\":\"needy\",\"ram\":\"1M\",\"caps\":10,"
	                   "\"requires\":[\"Block\"]}" },
};

static int fake_load(void *ctx, const char *pkg, struct pkg_runtime **out,
                     struct sculpt_diag *diag)
{
	struct runtime_config_error error;

	(void)ctx;
	for (size_t i = 0; i < sizeof(fake_pkgs) / sizeof(fake_pkgs[0]); i++)
		if (strcmp(fake_pkgs[i].pkg, pkg) == 0) {
			assert_int_equal(
				pkg_runtime_parse(fake_pkgs[i].runtime,
			                          strlen(fake_pkgs[i].runtime),
			                          out, &error),
				0);
			return 0;
		}
	return sculpt_fail(diag, SCULPT_E_PKG, "pkg '%s' is not installed",
	                   pkg);
}

static const struct pkg_source pkgs = { fake_load, NULL };

static struct sculpt_composition *empty(void)
{
	static const char *const core[] = { "ROM", "LOG", "PD", "CPU" };
	struct sculpt_composition *c = composition_new(core, 4);

	assert_non_null(c);
	return c;
}

static void add(struct sculpt_composition *c, const char *name, const char *pkg)
{
	struct sculpt_diag diag;

	if (composition_add(c, name, pkg, &diag))
		fail_msg("add %s: %s", name, diag.message);
}

static char *generated(const struct sculpt_composition *c)
{
	struct sculpt_diag diag;
	char *text;

	if (generate_config(c, &pkgs, NULL, &text, NULL, &diag))
		fail_msg("generation refused: %s", diag.message);
	return text;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" not in \"%s\"", part, text);
}

/* ---- composition ------------------------------------------------------- */

static void test_composition_round_trip(void **state)
{
	struct sculpt_composition *c = empty(), *again;
	struct sculpt_diag diag;
	char *text, *text2;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "hello", "a/pkg/hello/1");
	assert_int_equal(composition_route(c, "hello", "Timer", "timer", &diag),
	                 0);
	assert_int_equal(composition_set(&c->components[1].config,
	                                 "{\"greeting\":\"yo\"}", &diag),
	                 0);
	c->components[1].caps = 77;
	text = composition_to_json(c);
	assert_non_null(text);
	assert_int_equal(composition_parse(text, strlen(text), &again, &diag),
	                 0);
	text2 = composition_to_json(again);
	assert_string_equal(text, text2);
	assert_string_equal(composition_route_of(composition_find(again,
	                                                          "hello"),
	                                         "Timer"),
	                    "timer");
	assert_int_equal(composition_find(again, "hello")->caps, 77);
	free(text);
	free(text2);
	composition_free(c);
	composition_free(again);
}

static void refused(const char *text, const char *words)
{
	struct sculpt_composition *c = (void *)1;
	struct sculpt_diag diag;

	assert_int_equal(composition_parse(text, strlen(text), &c, &diag),
	                 SCULPT_E_COMPOSITION);
	assert_null(c);
	assert_contains(diag.message, words);
}

static void test_composition_refusals(void **state)
{
	(void)state;
	refused("[", "not JSON");
	refused("{}", "\"parent_provides\"");
	refused("{\"parent_provides\":[\"R O M\"],\"components\":[]}",
	        "not a service name");
	refused("{\"parent_provides\":[],\"components\":[{\"name\":\"x\"}]}",
	        "\"name\" and \"pkg\"");
	refused("{\"parent_provides\":[],\"components\":[{\"name\":\"Bad\","
	        "\"pkg\":\"a/pkg/x/1\"}]}",
	        "cannot name a component");
	refused("{\"parent_provides\":[],\"components\":[{\"name\":\"x\","
	        "\"pkg\":\"a/src/x/1\"}]}",
	        "not a pkg name");
	refused("{\"parent_provides\":[],\"components\":[{\"name\":\"x\","
	        "\"pkg\":\"a/pkg/x/1\"},{\"name\":\"x\",\"pkg\":\"a/pkg/x/1\"}]}",
	        "exists already");
	refused("{\"parent_provides\":[],\"components\":[{\"name\":\"x\","
	        "\"pkg\":\"a/pkg/x/1\",\"config\":[1]}]}",
	        "not an object");
	refused("{\"parent_provides\":[],\"components\":[{\"name\":\"x\","
	        "\"pkg\":\"a/pkg/x/1\",\"caps\":1.5}]}",
	        "whole number");
}

static void test_remove_refused_while_routed(void **state)
{
	struct sculpt_composition *c = empty();
	struct sculpt_diag diag;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "hello", "a/pkg/hello/1");
	assert_int_equal(composition_route(c, "hello", "Timer", "timer", &diag),
	                 0);
	assert_int_equal(composition_remove(c, "timer", &diag), SCULPT_E_ROUTE);
	assert_contains(diag.message, "'hello' routes Timer to 'timer'");
	assert_int_equal(composition_remove(c, "hello", &diag), 0);
	assert_int_equal(composition_remove(c, "timer", &diag), 0);
	assert_int_equal(c->count, 0);
	assert_int_equal(composition_remove(c, "timer", &diag),
	                 SCULPT_E_COMPONENT);
	assert_int_equal(composition_route(c, "x", "Timer", "y", &diag),
	                 SCULPT_E_COMPONENT);
	composition_free(c);
}

/* ---- routing ----------------------------------------------------------- */

static int route_of(const struct sculpt_composition *c, const char *name,
                    const char *service, const char **to,
                    struct sculpt_diag *diag)
{
	struct generate_runtimes runtimes;
	int err;

	assert_int_equal(generate_load_runtimes(c, &pkgs, &runtimes, diag), 0);
	err = generate_route(c, &runtimes,
	                     (size_t)(composition_find(c, name) -
	                              c->components),
	                     service, to, diag);
	generate_runtimes_free(&runtimes);
	return err;
}

static void test_route_single_provider(void **state)
{
	struct sculpt_composition *c = empty();
	struct sculpt_diag diag;
	const char *to;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "hello", "a/pkg/hello/1");
	assert_int_equal(route_of(c, "hello", "Timer", &to, &diag), 0);
	assert_string_equal(to, "timer");
	assert_int_equal(route_of(c, "hello", "LOG", &to, &diag), 0);
	assert_string_equal(to, "parent");
	composition_free(c);
}

static void test_route_several_or_none(void **state)
{
	struct sculpt_composition *c = empty();
	struct sculpt_diag diag;
	const char *to;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "clock", "a/pkg/clock/1");
	add(c, "hello", "a/pkg/hello/1");
	add(c, "needy", "a/pkg/needy/1");
	assert_int_equal(route_of(c, "hello", "Timer", &to, &diag),
	                 SCULPT_E_ROUTE);
	assert_contains(diag.message,
	                "'hello' needs service Timer, which 'timer' "
	                "and 'clock' provide");
	assert_contains(diag.message, "--route Timer=NAME");
	assert_int_equal(route_of(c, "needy", "Block", &to, &diag),
	                 SCULPT_E_ROUTE);
	assert_contains(diag.message, "neither the parent nor any component");
	/* an explicit route decides, and is checked */
	assert_int_equal(composition_route(c, "hello", "Timer", "clock", &diag),
	                 0);
	assert_int_equal(route_of(c, "hello", "Timer", &to, &diag), 0);
	assert_string_equal(to, "clock");
	assert_int_equal(composition_route(c, "hello", "Timer", "needy", &diag),
	                 0);
	assert_int_equal(route_of(c, "hello", "Timer", &to, &diag),
	                 SCULPT_E_ROUTE);
	assert_contains(diag.message, "whose pkg does not provide it");
	assert_int_equal(composition_route(c, "hello", "Timer", "parent",
	                                   &diag),
	                 0);
	assert_int_equal(route_of(c, "hello", "Timer", &to, &diag),
	                 SCULPT_E_ROUTE);
	assert_contains(diag.message, "the parent, which does not provide it");
	assert_int_equal(composition_route(c, "hello", "Timer", "gone", &diag),
	                 0);
	assert_int_equal(route_of(c, "hello", "Timer", &to, &diag),
	                 SCULPT_E_ROUTE);
	assert_contains(diag.message, "not in the composition");
	composition_free(c);
}

/* ---- generation -------------------------------------------------------- */

static void test_generate_canonical(void **state)
{
	struct sculpt_composition *c = empty();
	char *text;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "hello", "a/pkg/hello/1");
	text = generated(c);
	assert_string_equal(
		text,
		"{\"parent_provides\":[\"ROM\",\"LOG\",\"PD\",\"CPU\"],"
		"\"default_route\":[{\"service\":\"*\",\"to\":\"parent\"}],"
		"\"report\":{\"delay_ms\":200},\"start\":["
		"{\"name\":\"timer\",\"pkg\":\"a/pkg/timer/1\",\"ram\":1048576,"
		"\"caps\":100,\"provides\":[\"Timer\"]},"
		"{\"name\":\"hello\",\"pkg\":\"a/pkg/hello/1\",\"ram\":2097152,"
		"\"caps\":60,\"route\":[{\"service\":\"Timer\",\"to\":\"timer\"}],"
		"\"config\":{\"greeting\":\"hi\"}}]}");
	free(text);
	composition_free(c);
}

static void test_generate_overrides(void **state)
{
	struct sculpt_composition *c = empty();
	struct sculpt_diag diag;
	char *text;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "hello", "a/pkg/hello/1");
	assert_int_equal(composition_set(&c->components[1].ram, "8M", &diag),
	                 0);
	assert_int_equal(composition_set(&c->components[1].config,
	                                 "{\"greeting\":\"yo\"}", &diag),
	                 0);
	c->components[1].caps = 90;
	text = generated(c);
	assert_contains(text, "\"ram\":8388608,\"caps\":90");
	assert_contains(text, "\"config\":{\"greeting\":\"yo\"}");
	free(text);
	composition_free(c);
}

static void test_generate_refusals(void **state)
{
	struct sculpt_composition *c = empty();
	struct sculpt_diag diag;
	char *text = (void *)1;

	(void)state;
	add(c, "hello", "a/pkg/hello/1");
	assert_int_equal(generate_config(c, &pkgs, NULL, &text, NULL, &diag),
	                 SCULPT_E_ROUTE);
	assert_null(text);
	assert_contains(diag.message, "Timer");
	add(c, "ghost", "a/pkg/ghost/1");
	assert_int_equal(generate_config(c, &pkgs, NULL, &text, NULL, &diag),
	                 SCULPT_E_PKG);
	assert_contains(diag.message, "a/pkg/ghost/1");
	assert_int_equal(composition_remove(c, "ghost", &diag), 0);
	add(c, "timer", "a/pkg/timer/1");
	/* a ram override libformat refuses: its words come through */
	assert_int_equal(composition_set(&c->components[0].ram, "12Q", &diag),
	                 0);
	assert_int_equal(generate_config(c, &pkgs, NULL, &text, NULL, &diag),
	                 SCULPT_E_CONFIG);
	assert_contains(diag.message, "12Q");
	composition_free(c);
}

/* ---- the plan in words ------------------------------------------------- */

static struct runtime_config *model_of(const struct sculpt_composition *c)
{
	struct runtime_config *model;
	struct sculpt_diag diag;
	char *text;

	if (generate_config(c, &pkgs, NULL, &text, &model, &diag))
		fail_msg("generation refused: %s", diag.message);
	free(text);
	return model;
}

static char *plan_text(const struct runtime_config *was,
                       const struct runtime_config *is, int *changes)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	*changes = plan_print(out, was, is);
	fclose(out);
	return text;
}

static void test_plan_lines(void **state)
{
	struct sculpt_composition *c = empty();
	struct runtime_config *v1, *v2;
	struct sculpt_diag diag;
	char *text;
	int changes;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "clock", "a/pkg/clock/1");
	add(c, "hello", "a/pkg/hello/1");
	assert_int_equal(composition_route(c, "hello", "Timer", "timer", &diag),
	                 0);
	v1 = model_of(c);
	text = plan_text(NULL, v1, &changes);
	assert_int_equal(changes, 3);
	assert_contains(
		text,
		"start timer (pkg a/pkg/timer/1, ram 1048576, caps 100)\n");
	free(text);

	/* hello to version 2 (restart), clock gets a config (live), timer
	 * stays, a route moves */
	assert_int_equal(composition_set(&c->components[2].pkg, "a/pkg/hello/2",
	                                 &diag),
	                 0);
	assert_int_equal(composition_set(&c->components[1].config, "{\"x\":1}",
	                                 &diag),
	                 0);
	v2 = model_of(c);
	text = plan_text(v1, v2, &changes);
	assert_string_equal(
		text,
		"keep timer\n"
		"update clock: new config, delivered live\n"
		"restart hello: its pkg changed (a/pkg/hello/1 -> a/pkg/hello/2)\n");
	assert_int_equal(changes, 2);
	free(text);
	runtime_config_free(v2);

	assert_int_equal(composition_set(&c->components[2].pkg, "a/pkg/hello/1",
	                                 &diag),
	                 0);
	assert_int_equal(composition_set(&c->components[1].config, NULL, &diag),
	                 0);
	assert_int_equal(composition_route(c, "hello", "Timer", "clock", &diag),
	                 0);
	c->components[0].caps = 150;
	v2 = model_of(c);
	text = plan_text(v1, v2, &changes);
	assert_string_equal(
		text,
		"update timer: ram +0, caps +50, moved live\n"
		"keep clock\n"
		"re-route hello: open sessions whose route changed are re-opened\n");
	free(text);
	runtime_config_free(v2);

	/* a lowered quota: taken back live, not a restart */
	c->components[0].caps = 60;
	v2 = model_of(c);
	text = plan_text(v1, v2, &changes);
	assert_contains(text,
	                "update timer: ram -0, caps -40, taken back live "
	                "(what is free at once, the rest by a yield request; a "
	                "restart if not given back by the deadline)\n");
	free(text);
	runtime_config_free(v2);

	assert_int_equal(composition_remove(c, "hello", &diag), 0);
	v2 = model_of(c);
	text = plan_text(v1, v2, &changes);
	assert_contains(text,
	                "remove hello: ram 2097152 and caps 60 go back to "
	                "init\n");
	free(text);
	runtime_config_free(v2);
	runtime_config_free(v1);
	composition_free(c);
}

static void test_plan_reconnect(void **state)
{
	struct sculpt_composition *c = empty();
	struct runtime_config *v1, *v2;
	struct sculpt_diag diag;
	char *text;
	int changes;

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "hello", "a/pkg/hello/1");
	v1 = model_of(c);
	assert_int_equal(composition_set(&c->components[0].pkg, "a/pkg/timer/2",
	                                 &diag),
	                 0);
	v2 = model_of(c);
	text = plan_text(v1, v2, &changes);
	assert_string_equal(
		text,
		"restart timer: its pkg changed (a/pkg/timer/1 -> a/pkg/timer/2)\n"
		"keep hello\n"
		"re-connect hello: its Timer session to timer is opened anew at "
		"the restarted server\n");
	free(text);
	runtime_config_free(v1);
	runtime_config_free(v2);
	composition_free(c);
}

/* ---- the verdict on an applied generation ------------------------------ */

static enum watch_verdict verdict(struct state_report *r,
                                  const struct runtime_config *config,
                                  const char *words)
{
	char why[512];
	enum watch_verdict v = watch_judge(r, "generation 2", config, why,
	                                   sizeof(why));

	assert_contains(why, words);
	return v;
}

static void test_watch(void **state)
{
	struct sculpt_composition *c = empty();
	struct runtime_config *config;
	struct state_report_requested pending = { "Timer", "hello",
		                                  STATE_REPORT_BOUND_NONE, NULL,
		                                  STATE_REPORT_PENDING };
	struct state_report_child children[2] = {
		{ .name = "timer", .state = STATE_REPORT_RUNNING },
		{ .name = "hello", .state = STATE_REPORT_STARTING },
	};
	struct state_report r = { .config_version = "generation 1",
		                  .children = children,
		                  .child_count = 1 };

	(void)state;
	add(c, "timer", "a/pkg/timer/1");
	add(c, "hello", "a/pkg/hello/1");
	config = model_of(c);
	assert_int_equal(verdict(&r, config,
	                         "has not applied \"generation 2\""),
	                 WATCH_WAIT);
	r.config_version = "generation 2";
	assert_int_equal(verdict(&r, config, "\"hello\" is not in the report"),
	                 WATCH_WAIT);
	r.child_count = 2;
	assert_int_equal(verdict(&r, config, "\"hello\" is still starting"),
	                 WATCH_WAIT);
	children[1].state = STATE_REPORT_RUNNING;
	children[1].requested = &pending;
	children[1].requested_count = 1;
	assert_int_equal(verdict(&r, config, "waits for its Timer session"),
	                 WATCH_WAIT);
	pending.state = STATE_REPORT_READY;
	assert_int_equal(verdict(&r, config, "every child runs"), WATCH_DONE);
	children[1].state = STATE_REPORT_RESTARTING;
	assert_int_equal(verdict(&r, config, "crashed and is restarting"),
	                 WATCH_FAILED);
	children[1].state = STATE_REPORT_INCOMPLETE;
	children[1].reason = "archive a/raw/x/1 is missing";
	assert_int_equal(verdict(&r, config,
	                         "is incomplete: archive a/raw/x/1"),
	                 WATCH_FAILED);
	children[1].state = STATE_REPORT_FAILED;
	children[1].reason = "died of a fault (signal 11)";
	assert_int_equal(verdict(&r, config,
	                         "\"hello\" failed: died of a fault"),
	                 WATCH_FAILED);
	children[1].reason = NULL;
	children[1].state = STATE_REPORT_EXITED;
	children[1].has_exit_code = true;
	children[1].exit_code = 3;
	assert_int_equal(verdict(&r, config, "exited with 3"), WATCH_FAILED);
	children[1].exit_code = 0;
	assert_int_equal(verdict(&r, config, "every child runs"), WATCH_DONE);
	runtime_config_free(config);
	composition_free(c);
}

/* A generation whose delivery failed is taken back whole: the newest is
 * the one before again, and nothing of it is left in generations/. */
static void test_state_forget(void **state)
{
	char target[] = "/tmp/sculpt-state-XXXXXX", path[PATH_MAX + 64];
	struct sculpt_diag diag = { "" };
	struct stat st;
	unsigned newest = 0;

	(void)state;
	assert_non_null(mkdtemp(target));
	assert_int_equal(state_record(target, 1, "{}", "{}", &diag), 0);
	assert_int_equal(state_record(target, 2, "{}", "{}", &diag), 0);
	assert_int_equal(state_forget(target, 2, &diag), 0);
	assert_int_equal(state_newest(target, &newest, &diag), 0);
	assert_int_equal(newest, 1);
	snprintf(path, sizeof(path), "%s/sculpt/generations", target);
	assert_int_equal(rmdir(path), -1); /* generation 1 is left alone */
	snprintf(path, sizeof(path), "%s/sculpt/generations/1/init.config",
	         target);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/sculpt/generations/1/composition.json",
	         target);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/sculpt/generations/1", target);
	assert_int_equal(rmdir(path), 0);
	/* with 1 gone, the directory is empty: nothing of 2 stayed */
	snprintf(path, sizeof(path), "%s/sculpt/generations", target);
	assert_int_equal(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/sculpt", target);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(target), 0);
	/* a generation that is not there cannot be taken back */
	assert_int_not_equal(state_forget(target, 3, &diag), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composition_round_trip),
		cmocka_unit_test(test_composition_refusals),
		cmocka_unit_test(test_remove_refused_while_routed),
		cmocka_unit_test(test_route_single_provider),
		cmocka_unit_test(test_route_several_or_none),
		cmocka_unit_test(test_generate_canonical),
		cmocka_unit_test(test_generate_overrides),
		cmocka_unit_test(test_generate_refusals),
		cmocka_unit_test(test_plan_lines),
		cmocka_unit_test(test_plan_reconnect),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_state_forget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
