/*
 * Unit tests of init's routing decision (runtime/init/route.c) on models
 * parsed by libformat: session labels, every label matcher, the "*" service,
 * rule order, the fallback to default_route, any-child, and each way a
 * request is denied (no rule, a target without the service, the parent for a
 * service it does not provide, a route to the client itself, malformed
 * requests).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "route.h"

static struct runtime_config *parse_ok(const char *text)
{
	struct runtime_config *config = NULL;
	struct runtime_config_error error;

	if (runtime_config_parse(text, strlen(text), &config, &error) !=
	    RUNTIME_CONFIG_OK)
		fail_msg("unexpected error: %s", error.message);
	return config;
}

/* Asserts that the request goes to child `server` with the label `label`. */
static void assert_to_child(const struct runtime_config *config,
                            const char *client, const char *service,
                            const char *sent_label, const char *server,
                            const char *label)
{
	struct route_decision decision;

	if (route_decide(config, client, service, sent_label, &decision) !=
	    ROUTE_TO_CHILD)
		fail_msg("%s %s \"%s\": %s", client, service, sent_label,
		         decision.reason);
	assert_int_equal(decision.target, ROUTE_TO_CHILD);
	assert_non_null(decision.server);
	assert_string_equal(decision.server->name, server);
	assert_string_equal(decision.label, label);
}

static void assert_to_parent(const struct runtime_config *config,
                             const char *client, const char *service,
                             const char *sent_label, const char *label)
{
	struct route_decision decision;

	if (route_decide(config, client, service, sent_label, &decision) !=
	    ROUTE_TO_PARENT)
		fail_msg("%s %s \"%s\": %s", client, service, sent_label,
		         decision.reason);
	assert_null(decision.server);
	assert_string_equal(decision.label, label);
}

static void assert_denied(const struct runtime_config *config,
                          const char *client, const char *service,
                          const char *sent_label, const char *reason)
{
	struct route_decision decision;

	assert_int_equal(route_decide(config, client, service, sent_label,
	                              &decision),
	                 ROUTE_DENIED);
	assert_int_equal(decision.target, ROUTE_DENIED);
	assert_null(decision.server);
	assert_string_equal(decision.reason, reason);
}

static const char design_example[] =
	"{\"version\": \"7\", \"parent_provides\": [\"ROM\", \"LOG\", \"PD\", \"CPU\", \"RM\"],"
	" \"default_route\": [{\"service\": \"*\", \"to\": \"parent\"}],"
	" \"report\": {\"delay_ms\": 100}, \"start\": ["
	" {\"name\": \"timer\", \"binary\": \"timer\", \"ram\": \"1M\", \"caps\": 100,"
	"  \"provides\": [\"Timer\"]},"
	" {\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/2026-11-21\", \"ram\": \"2M\","
	"  \"route\": [{\"service\": \"Timer\", \"to\": \"timer\"},"
	"   {\"service\": \"LOG\", \"label_prefix\": \"hello\", \"to\": \"parent\"}],"
	"  \"config\": {\"greeting\": \"hi\"}}]}";

static void test_design_example(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	struct route_decision decision;

	assert_to_child(config, "hello", "Timer", "", "timer", "hello");
	assert_to_parent(config, "hello", "LOG", "", "hello");
	assert_to_parent(config, "hello", "LOG", "x", "hello -> x");
	assert_to_parent(config, "timer", "LOG", "", "timer");
	assert_to_parent(config, "hello", "ROM", "binary", "hello -> binary");
	route_decide(config, "hello", "Timer", "", &decision);
	assert_string_equal(
		decision.reason,
		"route[0] of \"hello\": \"Timer\" to child \"timer\"");
	route_decide(config, "timer", "LOG", "", &decision);
	assert_string_equal(decision.reason,
	                    "default_route[0]: \"LOG\" to the parent");
	runtime_config_free(config);
}

/* A logger and a second LOG server, and "app" whose rules the tests vary. */
static struct runtime_config *with_app_route(const char *rules)
{
	char text[2048];

	snprintf(
		text, sizeof(text),
		"{\"parent_provides\": [\"LOG\", \"ROM\"],"
		" \"default_route\": [{\"service\": \"LOG\", \"to\": \"parent\"},"
		"                     {\"service\": \"ROM\", \"to\": \"parent\"}],"
		" \"start\": ["
		"  {\"name\": \"logger\", \"binary\": \"log\", \"ram\": 1, \"provides\": [\"LOG\"]},"
		"  {\"name\": \"audit\", \"binary\": \"log\", \"ram\": 1,"
		"   \"provides\": [\"LOG\", \"ROM\"]},"
		"  {\"name\": \"app\", \"binary\": \"app\", \"ram\": 1, \"route\": [%s]}]}",
		rules);
	return parse_ok(text);
}

static void test_label_exact(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"LOG\", \"label\": \"app -> secret\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "LOG", "secret", "audit",
	                "app -> secret");
	assert_to_parent(config, "app", "LOG", "secret2", "app -> secret2");
	assert_to_parent(config, "app", "LOG", "x -> secret",
	                 "app -> x -> secret");
	assert_to_parent(config, "app", "LOG", "", "app");
	runtime_config_free(config);
}

static void test_label_exact_of_an_empty_label(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"LOG\", \"label\": \"app\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "LOG", "", "audit", "app");
	assert_to_parent(config, "app", "LOG", "app", "app -> app");
	runtime_config_free(config);
}

static void test_label_prefix(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"LOG\", \"label_prefix\": \"app -> data\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "LOG", "data", "audit", "app -> data");
	assert_to_child(config, "app", "LOG", "data -> x", "audit",
	                "app -> data -> x");
	assert_to_child(config, "app", "LOG", "database", "audit",
	                "app -> database");
	assert_to_parent(config, "app", "LOG", "dat", "app -> dat");
	assert_to_parent(config, "app", "LOG", "x -> data", "app -> x -> data");
	runtime_config_free(config);
}

static void test_label_suffix(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"LOG\", \"label_suffix\": \"verbose\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "LOG", "x -> verbose", "audit",
	                "app -> x -> verbose");
	assert_to_child(config, "app", "LOG", "noverbose", "audit",
	                "app -> noverbose");
	assert_to_parent(config, "app", "LOG", "verbose -> x",
	                 "app -> verbose -> x");
	assert_to_parent(config, "app", "LOG", "verbos", "app -> verbos");
	runtime_config_free(config);
}

static void test_label_last(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"ROM\", \"label_last\": \"config\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "ROM", "config", "audit",
	                "app -> config");
	assert_to_child(config, "app", "ROM", "sub -> config", "audit",
	                "app -> sub -> config");
	assert_to_parent(config, "app", "ROM", "myconfig", "app -> myconfig");
	assert_to_parent(config, "app", "ROM", "config -> x",
	                 "app -> config -> x");
	assert_to_parent(config, "app", "ROM", "", "app");
	runtime_config_free(config);
}

static void test_label_last_of_an_unlabelled_session(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"ROM\", \"label_last\": \"app\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "ROM", "", "audit", "app");
	assert_to_child(config, "app", "ROM", "x -> app", "audit",
	                "app -> x -> app");
	assert_to_parent(config, "app", "ROM", "x", "app -> x");
	runtime_config_free(config);
}

static void test_all_matchers_must_match(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"LOG\", \"label_prefix\": \"app -> a\", \"label_suffix\": \"z\","
		" \"to\": \"audit\"}");

	assert_to_child(config, "app", "LOG", "a -> z", "audit",
	                "app -> a -> z");
	assert_to_parent(config, "app", "LOG", "a -> y", "app -> a -> y");
	assert_to_parent(config, "app", "LOG", "b -> z", "app -> b -> z");
	runtime_config_free(config);
}

static void test_service_must_match(void **state)
{
	struct runtime_config *config =
		with_app_route("{\"service\": \"LOG\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "LOG", "", "audit", "app");
	assert_to_parent(config, "app", "ROM", "", "app");
	runtime_config_free(config);
}

static void test_service_wildcard(void **state)
{
	struct runtime_config *config =
		with_app_route("{\"service\": \"*\", \"to\": \"audit\"}");

	assert_to_child(config, "app", "LOG", "", "audit", "app");
	assert_to_child(config, "app", "ROM", "binary", "audit",
	                "app -> binary");
	runtime_config_free(config);
}

/* ROM scoping (init_policy.c) needs to know whether the deciding rule
 * named the service or took any ("*"). */
static void test_decision_says_whether_the_rule_names_the_service(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"ROM\", \"label_last\": \"shared\", \"to\": \"parent\"}");
	struct route_decision decision;

	assert_int_equal(route_decide(config, "app", "ROM", "shared",
	                              &decision),
	                 ROUTE_TO_PARENT);
	assert_true(decision.named_service);
	assert_int_equal(route_decide(config, "app", "ROM", "other", &decision),
	                 ROUTE_TO_PARENT);
	assert_true(decision.named_service); /* default_route[1] names ROM */
	assert_int_equal(route_decide(config, "nobody", "ROM", "x", &decision),
	                 ROUTE_DENIED);
	assert_false(decision.named_service);
	runtime_config_free(config);
	config = with_app_route(
		"{\"service\": \"*\", \"label\": \"app -> a\", \"to\": \"audit\"},"
		"{\"service\": \"*\", \"to\": \"parent\"}");
	assert_int_equal(route_decide(config, "app", "ROM", "a", &decision),
	                 ROUTE_TO_CHILD);
	assert_false(decision.named_service);
	assert_int_equal(route_decide(config, "app", "ROM", "x", &decision),
	                 ROUTE_TO_PARENT);
	assert_false(decision.named_service);
	runtime_config_free(config);
}

static void test_first_match_decides(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"LOG\", \"label\": \"app -> x\", \"to\": \"logger\"},"
		"{\"service\": \"LOG\", \"to\": \"audit\"},"
		"{\"service\": \"LOG\", \"to\": \"logger\"}");

	assert_to_child(config, "app", "LOG", "x", "logger", "app -> x");
	assert_to_child(config, "app", "LOG", "y", "audit", "app -> y");
	runtime_config_free(config);
}

static void test_default_route_fallback(void **state)
{
	struct runtime_config *config = with_app_route(
		"{\"service\": \"LOG\", \"label\": \"app -> x\", \"to\": \"audit\"}");
	struct route_decision decision;

	assert_to_parent(config, "app", "LOG", "y", "app -> y");
	route_decide(config, "app", "LOG", "y", &decision);
	assert_string_equal(decision.reason,
	                    "default_route[0]: \"LOG\" to the parent");
	/* A child without any route of its own. */
	assert_to_parent(config, "logger", "ROM", "", "logger");
	runtime_config_free(config);
}

static void test_any_child_takes_the_first_provider(void **state)
{
	struct runtime_config *config =
		with_app_route("{\"service\": \"LOG\", \"to\": \"any-child\"},"
	                       "{\"service\": \"ROM\", \"to\": \"any-child\"}");

	assert_to_child(config, "app", "LOG", "", "logger", "app");
	assert_to_child(config, "app", "ROM", "", "audit", "app");
	runtime_config_free(config);
}

static void test_any_child_skips_the_client(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"default_route\": [{\"service\": \"*\", \"to\": \"any-child\"}], \"start\": ["
		" {\"name\": \"a\", \"binary\": \"log\", \"ram\": 1, \"provides\": [\"LOG\"]},"
		" {\"name\": \"b\", \"binary\": \"log\", \"ram\": 1, \"provides\": [\"LOG\", \"T\"]}]}");

	assert_to_child(config, "b", "LOG", "", "a", "b");
	assert_to_child(config, "a", "LOG", "", "b", "a");
	assert_denied(
		config, "b", "T", "",
		"default_route[0] routes \"T\" to any child, but no other child provides it");
	assert_denied(
		config, "a", "ROM", "",
		"default_route[0] routes \"ROM\" to any child, but no other child provides it");
	runtime_config_free(config);
}

static void test_denied_when_no_rule_matches(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"parent_provides\": [\"LOG\"], \"start\": [{\"name\": \"app\", \"binary\": \"a\","
		" \"ram\": 1, \"route\": [{\"service\": \"LOG\", \"label\": \"app\", \"to\": "
		"\"parent\"}]}]}");

	assert_to_parent(config, "app", "LOG", "", "app");
	assert_denied(
		config, "app", "LOG", "x",
		"no rule of \"app\" or default_route matches \"LOG\" with label \"app -> x\"");
	assert_denied(
		config, "app", "Timer", "",
		"no rule of \"app\" or default_route matches \"Timer\" with label \"app\"");
	runtime_config_free(config);
}

static void test_denied_when_the_target_child_lacks_the_service(void **state)
{
	/* The "*" rule matches Timer; the first match decides, so no fall-through. */
	struct runtime_config *config =
		with_app_route("{\"service\": \"*\", \"to\": \"logger\"}");

	assert_to_child(config, "app", "LOG", "", "logger", "app");
	assert_denied(
		config, "app", "ROM", "",
		"route[0] of \"app\" routes \"ROM\" to child \"logger\", which does not "
		"provide it");
	runtime_config_free(config);
}

static void test_denied_when_the_parent_lacks_the_service(void **state)
{
	struct runtime_config *config =
		with_app_route("{\"service\": \"*\", \"to\": \"parent\"}");

	assert_to_parent(config, "app", "LOG", "", "app");
	assert_denied(
		config, "app", "Timer", "",
		"route[0] of \"app\" routes \"Timer\" to the parent, which does not provide it");
	runtime_config_free(config);
}

static void test_denied_when_routed_to_itself(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"default_route\": [{\"service\": \"*\", \"to\": \"logger\"}], \"start\": ["
		" {\"name\": \"logger\", \"binary\": \"log\", \"ram\": 1, \"provides\": [\"LOG\"]},"
		" {\"name\": \"app\", \"binary\": \"app\", \"ram\": 1}]}");

	assert_to_child(config, "app", "LOG", "", "logger", "app");
	assert_denied(
		config, "logger", "LOG", "",
		"default_route[0] routes \"LOG\" of \"logger\" to itself");
	runtime_config_free(config);
}

static void test_denied_malformed_requests(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	char label[RUNTIME_LABEL_MAX + 2];

	assert_denied(config, "nobody", "LOG", "",
	              "no child \"nobody\" in the configuration");
	assert_denied(config, "hello", "", "",
	              "\"hello\" asked for a malformed service name");
	assert_denied(config, "hello", "L O G", "",
	              "\"hello\" asked for a malformed service name");
	assert_denied(config, "hello", "*", "",
	              "\"hello\" asked for a malformed service name");
	assert_denied(
		config, "hello", "LOG", "a\nb",
		"\"hello\" sent a label with control characters or invalid UTF-8");
	assert_denied(
		config, "hello", "LOG",
		"a\xc2\x9b"
		"2Jb", /* C1 CSI */
		"\"hello\" sent a label with control characters or invalid UTF-8");
	assert_denied(
		config, "hello", "LOG", "a\xff\xfe",
		"\"hello\" sent a label with control characters or invalid UTF-8");
	/* printable UTF-8 beyond ASCII is a label like any other */
	assert_to_child(config, "hello", "Timer",
	                "gr\xc3\xbc\xc3\x9f"
	                "e",
	                "timer",
	                "hello -> gr\xc3\xbc\xc3\x9f"
	                "e");
	memset(label, 'x', RUNTIME_LABEL_MAX + 1);
	label[RUNTIME_LABEL_MAX + 1] = '\0';
	assert_denied(config, "hello", "LOG", label,
	              "\"hello\" sent a label longer than 256 bytes");
	runtime_config_free(config);
}

static void test_longest_label_is_forwarded_whole(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	char label[RUNTIME_LABEL_MAX + 1];
	struct route_decision decision;

	memset(label, 'x', RUNTIME_LABEL_MAX);
	label[RUNTIME_LABEL_MAX] = '\0';
	assert_int_equal(route_decide(config, "hello", "LOG", label, &decision),
	                 ROUTE_TO_PARENT);
	assert_int_equal(strlen(decision.label),
	                 strlen("hello -> ") + RUNTIME_LABEL_MAX);
	assert_memory_equal(decision.label, "hello -> xxx", 12);
	runtime_config_free(config);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_label_exact),
		cmocka_unit_test(test_label_exact_of_an_empty_label),
		cmocka_unit_test(test_label_prefix),
		cmocka_unit_test(test_label_suffix),
		cmocka_unit_test(test_label_last),
		cmocka_unit_test(test_label_last_of_an_unlabelled_session),
		cmocka_unit_test(test_all_matchers_must_match),
		cmocka_unit_test(test_service_must_match),
		cmocka_unit_test(test_service_wildcard),
		cmocka_unit_test(test_first_match_decides),
		cmocka_unit_test(test_default_route_fallback),
		cmocka_unit_test(test_any_child_takes_the_first_provider),
		cmocka_unit_test(test_any_child_skips_the_client),
		cmocka_unit_test(test_denied_when_no_rule_matches),
		cmocka_unit_test(
			test_denied_when_the_target_child_lacks_the_service),
		cmocka_unit_test(test_denied_when_the_parent_lacks_the_service),
		cmocka_unit_test(test_denied_when_routed_to_itself),
		cmocka_unit_test(test_denied_malformed_requests),
		cmocka_unit_test(test_longest_label_is_forwarded_whole),
		cmocka_unit_test(
			test_decision_says_whether_the_rule_names_the_service),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
