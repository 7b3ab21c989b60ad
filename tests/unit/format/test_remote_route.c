/*
 * Unit tests of routes to other nodes in the runtime configuration
 * (format/remote.h, runtime/format/README.md "Routes to other nodes"):
 * the node table, exports and node targets parsed and written back in
 * canonical form, every refusal with its exact message, and the expansion
 * into the proxies init runs (their names, binaries, configs, routes,
 * versions; rules pointed at them with the module as the label).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/plan.h"
#include "format/remote.h"
#include "format/runtime_config.h"

#define FP_A "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_C "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define PARENT "\"parent_provides\": [\"ROM\", \"LOG\", \"PD\", \"CPU\", \"RM\", \"Net\"]"
#define SELF "\"node\": {\"name\": \"b\", \"key\": \"b.key\", \"cert\": \"b.crt\"}"
#define NODES "\"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A "\"}, " \
	"{\"name\": \"c\", \"fingerprint\": \"" FP_C "\", \"port\": 7401}]"
#define READER "{\"name\": \"reader\", \"binary\": \"probe\", \"ram\": 1}"

/* Node b imports "shared" and "other" from a, exports "status" to c. */
static const char *const b_config =
	"{" PARENT ", " SELF ", " NODES ", "
	"\"exports\": [{\"node\": \"c\", \"service\": \"ROM\", \"label\": \"status\"}], "
	"\"default_route\": ["
	"{\"service\": \"ROM\", \"label\": \"reader -> shared\", "
	"\"to\": {\"node\": \"a\", \"service\": \"ROM\", \"label\": \"shared\"}}, "
	"{\"service\": \"ROM\", \"label_last\": \"second\", "
	"\"to\": {\"node\": \"a\", \"service\": \"ROM\", \"label\": \"other\"}}, "
	"{\"service\": \"*\", \"to\": \"parent\"}], "
	"\"start\": [" READER "]}";

static struct runtime_config *parse_ok(const char *text)
{
	struct runtime_config *config = NULL;
	struct runtime_config_error error;

	enum runtime_config_status status = runtime_config_parse(text, strlen(text), &config,
	                                                         &error);
	if (status != RUNTIME_CONFIG_OK)
		fail_msg("refused: %s", error.message);
	return config;
}

static void round_trip(void **state)
{
	(void)state;
	struct runtime_config *config = parse_ok(b_config);
	char *text = runtime_config_to_json(config);

	assert_non_null(text);
	assert_string_equal(text,
		"{\"parent_provides\":[\"ROM\",\"LOG\",\"PD\",\"CPU\",\"RM\",\"Net\"],"
		"\"default_route\":[{\"service\":\"ROM\",\"label\":\"reader -> shared\","
		"\"to\":{\"node\":\"a\",\"service\":\"ROM\",\"label\":\"shared\"}},"
		"{\"service\":\"ROM\",\"label_last\":\"second\",\"to\":{\"node\":\"a\","
		"\"service\":\"ROM\",\"label\":\"other\"}},{\"service\":\"*\",\"to\":\"parent\"}],"
		"\"node\":{\"name\":\"b\",\"key\":\"b.key\",\"cert\":\"b.crt\"},"
		"\"nodes\":[{\"name\":\"a\",\"fingerprint\":\"" FP_A "\"},"
		"{\"name\":\"c\",\"fingerprint\":\"" FP_C "\",\"port\":7401}],"
		"\"exports\":[{\"node\":\"c\",\"service\":\"ROM\",\"label\":\"status\"}],"
		"\"start\":[{\"name\":\"reader\",\"binary\":\"probe\",\"ram\":1,\"caps\":50}]}");
	struct runtime_config *again = parse_ok(text);
	char *text2 = runtime_config_to_json(again);
	assert_string_equal(text, text2);
	assert_true(runtime_config_is_remote(config));
	free(text);
	free(text2);
	runtime_config_free(again);
	runtime_config_free(config);
}

static struct runtime_config *expand_ok(const char *text)
{
	struct runtime_config *config = parse_ok(text), *expanded = NULL;
	struct runtime_config_error error;

	if (runtime_config_expand_remote(config, &expanded, &error) != RUNTIME_CONFIG_OK)
		fail_msg("expansion refused: %s", error.message);
	runtime_config_free(config);
	return expanded;
}

static void expansion_makes_proxies(void **state)
{
	(void)state;
	struct runtime_config *x = expand_ok(b_config);
	const char *node = NULL;
	bool client = false;

	assert_int_equal(x->start_count, 3);
	const struct runtime_child *from_a = runtime_config_find_child(x, "remote-rom-from-a");
	const struct runtime_child *to_c = runtime_config_find_child(x, "remote-rom-to-c");
	assert_non_null(from_a);
	assert_non_null(to_c);
	assert_null(runtime_config_find_child(x, "remote-rom-to-a"));
	assert_string_equal(from_a->binary, "remote_rom_client");
	assert_string_equal(to_c->binary, "remote_rom_server");
	assert_true(runtime_child_is_remote_proxy(from_a, &node, &client));
	assert_string_equal(node, "a");
	assert_true(client);
	assert_true(runtime_child_is_remote_proxy(to_c, &node, &client));
	assert_string_equal(node, "c");
	assert_false(client);
	assert_false(runtime_child_is_remote_proxy(&x->start[0], &node, &client));
	assert_string_equal(from_a->config,
		"{\"key\":\"b.key\",\"cert\":\"b.crt\",\"peer\":{\"node\":\"a\",\"fingerprint\":\""
		FP_A "\"},\"modules\":[\"shared\",\"other\"]}");
	assert_string_equal(to_c->config,
		"{\"key\":\"b.key\",\"cert\":\"b.crt\",\"peer\":{\"node\":\"c\",\"fingerprint\":\""
		FP_C "\"},\"port\":7401,\"modules\":[\"status\"]}");
	assert_int_equal(from_a->ram, REMOTE_PROXY_RAM_BASE + 2 * REMOTE_PROXY_RAM_PER_MODULE);
	assert_true(runtime_name_list_has(&from_a->provides, "ROM"));
	assert_int_equal(to_c->provides.count, 0);
	assert_int_equal(strlen(from_a->version), 16);
	/* the proxy's own routes: key, cert (and the export), the rest */
	assert_int_equal(from_a->route.count, 3);
	assert_string_equal(from_a->route.rules[0].label, "remote-rom-from-a -> b.key");
	assert_string_equal(from_a->route.rules[1].label, "remote-rom-from-a -> b.crt");
	assert_string_equal(from_a->route.rules[2].service, "*");
	assert_int_equal(to_c->route.count, 4);
	assert_string_equal(to_c->route.rules[2].label, "remote-rom-to-c -> status");
	assert_int_equal(to_c->route.rules[2].to, RUNTIME_TO_PARENT);
	/* the user's rules now name the proxy, the module as the label */
	const struct runtime_route_rule *r = &x->default_route.rules[1];
	assert_int_equal(r->to, RUNTIME_TO_CHILD);
	assert_string_equal(r->child, "remote-rom-from-a");
	assert_string_equal(r->to_label, "other");
	assert_null(r->node);
	assert_false(runtime_config_is_remote(x) && x->default_route.rules[0].to == RUNTIME_TO_NODE);
	runtime_config_free(x);
}

/* A proxy's config changes when a module is added: its version too, so
 * the plan restarts it; an unchanged remote part leaves it running. */
static void expansion_versions_restart_proxies(void **state)
{
	(void)state;
	struct runtime_config *one = expand_ok(b_config), *same = expand_ok(b_config);
	size_t size = strlen(b_config) + 200;
	char *more = malloc(size);
	const char *at = strstr(b_config, "{\"service\": \"*\"");
	struct config_plan plan;

	assert_non_null(more);
	snprintf(more, size, "%.*s{\"service\": \"ROM\", \"label_last\": \"third\", "
	         "\"to\": {\"node\": \"a\", \"service\": \"ROM\", \"label\": \"third\"}}, %s",
	         (int)(at - b_config), b_config, at);
	struct runtime_config *two = expand_ok(more);
	assert_int_equal(config_plan_compare(one, same, &plan), RUNTIME_CONFIG_OK);
	for (size_t i = 0; i < plan.old_count; i++)
		assert_int_equal(plan.old[i].fate, CONFIG_PLAN_UNCHANGED);
	config_plan_free(&plan);
	assert_int_equal(config_plan_compare(one, two, &plan), RUNTIME_CONFIG_OK);
	assert_int_equal(plan.old[1].fate, CONFIG_PLAN_RESTART);   /* from-a */
	assert_true(plan.old[1].restart_why & CONFIG_PLAN_WHY_VERSION);
	assert_int_equal(plan.old[2].fate, CONFIG_PLAN_UNCHANGED); /* to-c */
	config_plan_free(&plan);
	free(more);
	runtime_config_free(one);
	runtime_config_free(same);
	runtime_config_free(two);
}

static void plain_config_expands_to_a_copy(void **state)
{
	(void)state;
	struct runtime_config *x = expand_ok("{\"start\": [" READER "]}");
	assert_int_equal(x->start_count, 1);
	assert_false(runtime_config_is_remote(x));
	runtime_config_free(x);
}

struct refusal {
	const char *json;
	const char *message;
	bool at_expansion;
};

#define ROUTE_TO(node, service, label) \
	"\"default_route\": [{\"service\": \"ROM\", \"label\": \"x\", \"to\": {\"node\": \"" \
	node "\", \"service\": \"" service "\", \"label\": \"" label "\"}}]"

static const struct refusal refusals[] = {
	{ "{" PARENT ", " NODES ", \"start\": []}",
	  "\"nodes\" needs \"node\" (this node's name, key and cert)", false },
	{ "{" PARENT ", " ROUTE_TO("a", "ROM", "shared") "}",
	  "default_route[0]: names node \"a\", but the config has no \"node\" (this node's "
	  "name, key and cert)", false },
	{ "{" PARENT ", " SELF ", " NODES ", " ROUTE_TO("z", "ROM", "shared") "}",
	  "default_route[0]: names node \"z\", which \"nodes\" does not list", false },
	{ "{" PARENT ", " SELF ", " NODES ", " ROUTE_TO("b", "ROM", "shared") "}",
	  "default_route[0]: names node \"b\", which is this node", false },
	{ "{" PARENT ", " SELF ", " NODES ", " ROUTE_TO("a", "LOG", "shared") "}",
	  "default_route[0]: to: service \"LOG\" cannot cross to another node yet (only \"ROM\")", false },
	{ "{" PARENT ", " SELF ", " NODES ", " ROUTE_TO("a", "ROM", "../x") "}",
	  "default_route[0]: to: \"label\" value \"../x\" may hold only A-Z, a-z, 0-9, '_', '.' "
	  "and '-'", false },
	{ "{" PARENT ", " SELF ", " NODES ", \"default_route\": [{\"service\": \"ROM\", "
	  "\"to\": {\"node\": \"a\", \"service\": \"ROM\"}}]}",
	  "default_route[0]: to: a node target needs \"node\", \"service\" and \"label\" (the "
	  "module's name on that node)", false },
	{ "{" PARENT ", " SELF ", " NODES ", \"default_route\": [{\"service\": \"*\", "
	  "\"to\": {\"node\": \"a\", \"service\": \"ROM\", \"label\": \"s\"}}]}",
	  "default_route[0]: routes \"*\" to service \"ROM\" of node \"a\": a route to a node "
	  "names the same service on both sides", false },
	{ "{\"parent_provides\": [\"ROM\"], " SELF ", " NODES ", " ROUTE_TO("a", "ROM", "s") "}",
	  "sessions with other nodes need \"Net\" in \"parent_provides\" (for init's proxies)", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"sha256:AA\"}]}",
	  "nodes[0]: \"fingerprint\" must be \"sha256:\" and 64 lowercase hex digits (what "
	  "remote-key prints)", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A "\"}, "
	  "{\"name\": \"a\", \"fingerprint\": \"" FP_C "\"}]}",
	  "nodes[1]: node \"a\" is listed twice (nodes[0])", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A "\"}, "
	  "{\"name\": \"c\", \"fingerprint\": \"" FP_A "\"}]}",
	  "nodes[1]: node \"c\" has the key of node \"a\" (one key, one node)", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A "\", \"port\": 0}]}",
	  "nodes[0]: \"port\" must be 1 to 65535", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A "\", \"addr\": 1}]}",
	  "nodes[0]: unknown field \"addr\"", false },
	{ "{\"node\": {\"name\": \"b\", \"key\": \"b.key\"}}",
	  "node: needs \"name\", \"key\" and \"cert\" (this node's name and the ROMs of its key "
	  "and certificate)", false },
	{ "{" PARENT ", " SELF ", " NODES ", \"exports\": [{\"node\": \"a\", \"service\": \"ROM\", "
	  "\"label\": \"s\"}]}",
	  "exports[0]: exports to node \"a\", whose entry in \"nodes\" gives no \"port\" to "
	  "listen on", false },
	{ "{" PARENT ", " SELF ", " NODES ", \"exports\": [{\"node\": \"c\", \"service\": \"ROM\", "
	  "\"label\": \"s\", \"from\": \"nobody\"}]}",
	  "exports[0]: unknown child \"nobody\" in \"from\"", false },
	{ "{" PARENT ", " SELF ", " NODES ", \"exports\": [{\"node\": \"c\", \"service\": \"ROM\", "
	  "\"label\": \"s\"}, {\"node\": \"c\", \"service\": \"ROM\", \"label\": \"s\"}]}",
	  "exports[1]: \"s\" is exported to node \"c\" twice (exports[0])", false },
	{ "{" PARENT ", " SELF ", " NODES ", \"exports\": [{\"node\": \"c\", \"service\": \"RPC\", "
	  "\"label\": \"s\"}]}",
	  "exports[0]: service \"RPC\" cannot cross to another node yet (only \"ROM\")", false },
	{ "{" PARENT ", " SELF ", " NODES ", " ROUTE_TO("a", "ROM", "s") ", \"start\": ["
	  "{\"name\": \"remote-rom-from-a\", \"binary\": \"x\", \"ram\": 1}]}",
	  "start[0] \"remote-rom-from-a\": names starting with \"remote-rom-\" are init's "
	  "remote proxies'", true },
};

static void refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *r = &refusals[i];
		struct runtime_config *config = NULL, *expanded = NULL;
		struct runtime_config_error error;
		enum runtime_config_status status =
			runtime_config_parse(r->json, strlen(r->json), &config, &error);
		if (r->at_expansion) {
			assert_int_equal(status, RUNTIME_CONFIG_OK);
			status = runtime_config_expand_remote(config, &expanded, &error);
			assert_null(expanded);
			runtime_config_free(config);
			config = NULL;
		}
		if (status != RUNTIME_CONFIG_INVALID || strcmp(error.message, r->message) != 0)
			fail_msg("case %zu: status %d, message \"%s\", expected \"%s\"", i, status,
			         error.message, r->message);
		assert_null(config);
	}
}

/* 32 modules from one node do not fit one link's channels. */
static void too_many_modules(void **state)
{
	(void)state;
	char text[16384];
	size_t n = (size_t)snprintf(text, sizeof(text), "{" PARENT ", " SELF ", " NODES
	                            ", \"default_route\": [");
	for (int i = 0; i < REMOTE_PROXY_MODULES_MAX + 1; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		                      "%s{\"service\": \"ROM\", \"label\": \"x%d\", \"to\": {\"node\": "
		                      "\"a\", \"service\": \"ROM\", \"label\": \"m%d\"}}",
		                      i ? ", " : "", i, i);
	snprintf(text + n, sizeof(text) - n, "]}");
	struct runtime_config *config = parse_ok(text), *expanded = NULL;
	struct runtime_config_error error;
	assert_int_equal(runtime_config_expand_remote(config, &expanded, &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(error.message, "more than 31 ROMs imported from node \"a\" (one "
	                    "link carries at most that many)");
	runtime_config_free(config);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(expansion_makes_proxies),
		cmocka_unit_test(expansion_versions_restart_proxies),
		cmocka_unit_test(plain_config_expands_to_a_copy),
		cmocka_unit_test(refused),
		cmocka_unit_test(too_many_modules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
