/*
 * Unit tests of routes to other nodes in the runtime configuration
 * (format/remote.h, runtime/format/README.md "Routes to other nodes"):
 * the node table, exports and node targets parsed and written back in
 * canonical form, every refusal with its exact message, and the expansion
 * into the proxies init runs (their names, binaries, configs, routes,
 * versions; rules pointed at them with the module as the label), for ROM
 * and for the RPC services of the generic proxies (their exports' ports,
 * their refusals).
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

	enum runtime_config_status status =
		runtime_config_parse(text, strlen(text), &config, &error);
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
	assert_string_equal(
		text,
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
	assert_int_equal(config->export_count, 1);
	free(text);
	free(text2);
	runtime_config_free(again);
	runtime_config_free(config);
}

/* Whether any rule, the default route's or a child's, still goes to a node
 * (what expansion replaces with proxies). */
static bool routes_to_a_node(const struct runtime_config *c)
{
	for (size_t i = 0; i < c->default_route.count; i++)
		if (c->default_route.rules[i].to == RUNTIME_TO_NODE)
			return true;
	for (size_t i = 0; i < c->start_count; i++)
		for (size_t j = 0; j < c->start[i].route.count; j++)
			if (c->start[i].route.rules[j].to == RUNTIME_TO_NODE)
				return true;
	return false;
}

static struct runtime_config *expand_ok(const char *text)
{
	struct runtime_config *config = parse_ok(text), *expanded = NULL;
	struct runtime_config_error error;

	if (runtime_config_expand_remote(config, &expanded, &error) !=
	    RUNTIME_CONFIG_OK)
		fail_msg("expansion refused: %s", error.message);
	runtime_config_free(config);
	return expanded;
}

static void expansion_makes_proxies(void **state)
{
	(void)state;
	struct runtime_config *x = expand_ok(b_config);
	struct runtime_remote_proxy proxy;

	assert_int_equal(x->start_count, 3);
	const struct runtime_child *from_a =
		runtime_config_find_child(x, "remote-rom-from-a");
	const struct runtime_child *to_c =
		runtime_config_find_child(x, "remote-rom-to-c");
	assert_non_null(from_a);
	assert_non_null(to_c);
	assert_null(runtime_config_find_child(x, "remote-rom-to-a"));
	assert_string_equal(from_a->binary, "remote_rom_client");
	assert_string_equal(to_c->binary, "remote_rom_server");
	assert_true(runtime_child_is_remote_proxy(from_a, &proxy));
	assert_string_equal(proxy.node, "a");
	assert_string_equal(proxy.service, "ROM");
	assert_true(proxy.client);
	assert_true(runtime_child_is_remote_proxy(to_c, &proxy));
	assert_string_equal(proxy.node, "c");
	assert_false(proxy.client);
	assert_false(runtime_child_is_remote_proxy(&x->start[0], &proxy));
	assert_string_equal(
		from_a->config,
		"{\"key\":\"b.key\",\"cert\":\"b.crt\",\"peer\":{\"node\":\"a\",\"fingerprint\":\"" FP_A
		"\"},\"modules\":[\"shared\",\"other\"]}");
	assert_string_equal(
		to_c->config,
		"{\"key\":\"b.key\",\"cert\":\"b.crt\",\"peer\":{\"node\":\"c\",\"fingerprint\":\"" FP_C
		"\"},\"port\":7401,\"modules\":[\"status\"]}");
	assert_int_equal(from_a->ram, REMOTE_PROXY_RAM_BASE +
	                                      2 * REMOTE_PROXY_RAM_PER_MODULE);
	assert_true(runtime_name_list_has(&from_a->provides, "ROM"));
	assert_int_equal(to_c->provides.count, 0);
	assert_int_equal(strlen(from_a->version), 16);
	/* the proxy's own routes: key, cert (and the export), the rest */
	assert_int_equal(from_a->route.count, 3);
	assert_string_equal(from_a->route.rules[0].label,
	                    "remote-rom-from-a -> b.key");
	assert_string_equal(from_a->route.rules[1].label,
	                    "remote-rom-from-a -> b.crt");
	assert_string_equal(from_a->route.rules[2].service, "*");
	assert_int_equal(to_c->route.count, 4);
	assert_string_equal(to_c->route.rules[2].label,
	                    "remote-rom-to-c -> status");
	assert_int_equal(to_c->route.rules[2].to, RUNTIME_TO_PARENT);
	/* the user's rules now name the proxy, the module as the label */
	const struct runtime_route_rule *r = &x->default_route.rules[1];
	assert_int_equal(r->to, RUNTIME_TO_CHILD);
	assert_string_equal(r->child, "remote-rom-from-a");
	assert_string_equal(r->to_label, "other");
	assert_null(r->node);
	assert_false(routes_to_a_node(x));
	runtime_config_free(x);
}

/* A node's keepalive is kept in the config written back and reaches the
 * configs of the proxies of that node's link, and only theirs. */
static void node_keepalive_reaches_its_proxies(void **state)
{
	(void)state;
	static const char text[] =
		"{" PARENT ", " SELF
		", \"nodes\": [{\"name\": \"a\", \"fingerprint\": "
		"\"" FP_A "\", \"keepalive_ms\": 2000}, {\"name\": \"c\", "
		"\"fingerprint\": \"" FP_C "\", \"port\": 7401}], "
		"\"exports\": [{\"node\": \"c\", \"service\": \"ROM\", \"label\": \"status\"}], "
		"\"default_route\": [{\"service\": \"ROM\", \"label\": \"reader -> shared\", "
		"\"to\": {\"node\": \"a\", \"service\": \"ROM\", \"label\": \"shared\"}}, "
		"{\"service\": \"*\", \"to\": \"parent\"}], \"start\": [" READER
		"]}";
	struct runtime_config *config = parse_ok(text);
	char *json = runtime_config_to_json(config);

	assert_non_null(json);
	assert_non_null(strstr(json, "{\"name\":\"a\",\"fingerprint\":\"" FP_A
	                             "\",\"keepalive_ms\":2000}"));
	assert_int_equal(config->nodes[0].keepalive_ms, 2000);
	assert_int_equal(config->nodes[1].keepalive_ms, 0);
	free(json);
	runtime_config_free(config);

	struct runtime_config *x = expand_ok(text);
	const struct runtime_child *from_a =
		runtime_config_find_child(x, "remote-rom-from-a");
	const struct runtime_child *to_c =
		runtime_config_find_child(x, "remote-rom-to-c");
	assert_non_null(from_a);
	assert_non_null(to_c);
	assert_string_equal(
		from_a->config,
		"{\"key\":\"b.key\",\"cert\":\"b.crt\",\"peer\":{\"node\":\"a\",\"fingerprint\":\"" FP_A
		"\",\"keepalive_ms\":2000},\"modules\":[\"shared\"]}");
	assert_null(strstr(to_c->config, "keepalive_ms"));
	runtime_config_free(x);
}

/* A proxy's config changes when a module is added: its version too, so
 * the plan restarts it; an unchanged remote part leaves it running. */
static void expansion_versions_restart_proxies(void **state)
{
	(void)state;
	struct runtime_config *one = expand_ok(b_config),
			      *same = expand_ok(b_config);
	size_t size = strlen(b_config) + 200;
	char *more = malloc(size);
	const char *at = strstr(b_config, "{\"service\": \"*\"");
	struct config_plan plan;

	assert_non_null(more);
	snprintf(
		more, size,
		"%.*s{\"service\": \"ROM\", \"label_last\": \"third\", "
		"\"to\": {\"node\": \"a\", \"service\": \"ROM\", \"label\": \"third\"}}, %s",
		(int)(at - b_config), b_config, at);
	struct runtime_config *two = expand_ok(more);
	assert_int_equal(config_plan_compare(one, same, &plan),
	                 RUNTIME_CONFIG_OK);
	for (size_t i = 0; i < plan.old_count; i++)
		assert_int_equal(plan.old[i].fate, CONFIG_PLAN_UNCHANGED);
	config_plan_free(&plan);
	assert_int_equal(config_plan_compare(one, two, &plan),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(plan.old[1].fate, CONFIG_PLAN_RESTART); /* from-a */
	assert_true(plan.old[1].restart_why & CONFIG_PLAN_WHY_VERSION);
	assert_int_equal(plan.old[2].fate, CONFIG_PLAN_UNCHANGED); /* to-c */
	config_plan_free(&plan);
	free(more);
	runtime_config_free(one);
	runtime_config_free(same);
	runtime_config_free(two);
}

/* Node b uses Counter of a and serves its Vault child to c. */
static const char *const b_rpc_config =
	"{" PARENT ", " SELF ", " NODES ", "
	"\"exports\": [{\"node\": \"c\", \"service\": \"Vault\", \"port\": 7500, "
	"\"from\": \"vault\"}], "
	"\"default_route\": ["
	"{\"service\": \"Counter\", \"to\": {\"node\": \"a\", \"service\": \"Counter\"}}, "
	"{\"service\": \"*\", \"to\": \"parent\"}], "
	"\"start\": [" READER
	", {\"name\": \"vault\", \"binary\": \"vault-server\", "
	"\"ram\": 1, \"provides\": [\"Vault\"], \"route\": ["
	"{\"service\": \"Counter\", \"to\": {\"node\": \"a\", \"service\": \"Counter\"}}, "
	"{\"service\": \"*\", \"to\": \"parent\"}]}]}";

static void expansion_makes_rpc_proxies(void **state)
{
	(void)state;
	struct runtime_config *config = parse_ok(b_rpc_config);
	char *text = runtime_config_to_json(config);
	struct runtime_config *x = expand_ok(b_rpc_config);
	struct runtime_remote_proxy proxy;

	/* the export's port is written back */
	assert_non_null(strstr(
		text, "\"exports\":[{\"node\":\"c\",\"service\":\"Vault\","
		      "\"port\":7500,\"from\":\"vault\"}]"));
	/* one client proxy for the two rules to Counter of a */
	assert_int_equal(x->start_count, 4);
	const struct runtime_child *from_a =
		runtime_config_find_child(x, "remote-rpc-from-a-counter");
	const struct runtime_child *to_c =
		runtime_config_find_child(x, "remote-rpc-to-c-vault");
	assert_non_null(from_a);
	assert_non_null(to_c);
	assert_string_equal(from_a->binary, "remote_rpc_client");
	assert_string_equal(to_c->binary, "remote_rpc_server");
	assert_string_equal(
		from_a->config,
		"{\"key\":\"b.key\",\"cert\":\"b.crt\",\"peer\":{\"node\":\"a\",\"fingerprint\":\"" FP_A
		"\"},\"service\":\"Counter\"}");
	assert_string_equal(
		to_c->config,
		"{\"key\":\"b.key\",\"cert\":\"b.crt\",\"peer\":{\"node\":\"c\",\"fingerprint\":\"" FP_C
		"\"},\"service\":\"Vault\",\"port\":7500}");
	assert_int_equal(from_a->ram, REMOTE_RPC_PROXY_RAM);
	assert_int_equal(from_a->caps, REMOTE_RPC_PROXY_CAPS);
	assert_true(runtime_name_list_has(&from_a->provides, "Counter"));
	assert_int_equal(to_c->provides.count, 0);
	assert_true(runtime_child_is_remote_proxy(from_a, &proxy));
	assert_string_equal(proxy.node, "a");
	assert_string_equal(proxy.service, "Counter");
	assert_true(proxy.client);
	assert_true(runtime_child_is_remote_proxy(to_c, &proxy));
	assert_string_equal(proxy.node, "c");
	assert_string_equal(proxy.service, "Vault");
	assert_false(proxy.client);
	/* the client's routes: key, cert, the rest; the server's sessions go
	 * to the export's child whatever their label */
	assert_int_equal(from_a->route.count, 3);
	assert_int_equal(to_c->route.count, 4);
	assert_string_equal(to_c->route.rules[0].label,
	                    "remote-rpc-to-c-vault -> b.key");
	assert_string_equal(to_c->route.rules[2].service, "Vault");
	assert_null(to_c->route.rules[2].label);
	assert_int_equal(to_c->route.rules[2].to, RUNTIME_TO_CHILD);
	assert_string_equal(to_c->route.rules[2].child, "vault");
	/* the rules to a node name the proxy, the session's label unchanged */
	for (size_t i = 0; i < 2; i++) {
		const struct runtime_route_rule *r =
			i ? &x->start[1].route.rules[0]
			  : &x->default_route.rules[0];
		assert_int_equal(r->to, RUNTIME_TO_CHILD);
		assert_string_equal(r->child, "remote-rpc-from-a-counter");
		assert_null(r->to_label);
		assert_null(r->node);
	}
	/* a name that only looks like a proxy's, with another binary, is none */
	struct runtime_child fake = *from_a;
	fake.binary = (char *)"counter";
	assert_false(runtime_child_is_remote_proxy(&fake, &proxy));
	free(text);
	runtime_config_free(x);
	runtime_config_free(config);
}

/* A node that names its base pkg runs the proxies from it. */
static void expansion_takes_proxies_from_a_pkg(void **state)
{
	(void)state;
	size_t size = strlen(b_rpc_config) + 64;
	char *text = malloc(size);
	const char *at = strstr(b_rpc_config, "\"cert\": \"b.crt\"") +
	                 strlen("\"cert\": \"b.crt\"");

	assert_non_null(text);
	snprintf(text, size, "%.*s, \"pkg\": \"project/pkg/base/1\"%s",
	         (int)(at - b_rpc_config), b_rpc_config, at);
	struct runtime_config *config = parse_ok(text);
	char *json = runtime_config_to_json(config);
	assert_non_null(strstr(
		json, "\"cert\":\"b.crt\",\"pkg\":\"project/pkg/base/1\"}"));
	struct runtime_config *x = expand_ok(text);
	const struct runtime_child *from_a =
		runtime_config_find_child(x, "remote-rpc-from-a-counter");
	const struct runtime_child *to_c =
		runtime_config_find_child(x, "remote-rpc-to-c-vault");
	assert_string_equal(from_a->pkg, "project/pkg/base/1");
	assert_string_equal(from_a->binary, "remote_rpc_client");
	assert_string_equal(to_c->pkg, "project/pkg/base/1");
	assert_string_equal(to_c->binary, "remote_rpc_server");
	assert_null(runtime_config_find_child(x, "vault")->pkg);
	/* without it, boot modules as before */
	struct runtime_config *plain = expand_ok(b_rpc_config);
	assert_null(runtime_config_find_child(plain,
	                                      "remote-rpc-from-a-counter")
	                    ->pkg);
	runtime_config_free(plain);
	runtime_config_free(x);
	runtime_config_free(config);
	free(json);
	free(text);
}

/* 65 services imported are more proxies than the report lists. */
static void too_many_rpc_proxies(void **state)
{
	(void)state;
	char text[16384];
	size_t n = (size_t)snprintf(text, sizeof(text),
	                            "{" PARENT ", " SELF ", " NODES
	                            ", \"default_route\": [");
	for (int i = 0; i < REMOTE_PROXIES_MAX + 1; i++)
		n += (size_t)snprintf(
			text + n, sizeof(text) - n,
			"%s{\"service\": \"S%d\", \"to\": {\"node\": \"a\", "
			"\"service\": \"S%d\"}}",
			i ? ", " : "", i, i);
	snprintf(text + n, sizeof(text) - n, "]}");
	struct runtime_config *config = parse_ok(text), *expanded = NULL;
	struct runtime_config_error error;
	assert_int_equal(runtime_config_expand_remote(config, &expanded,
	                                              &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(
		error.message,
		"more than 64 remote services (init reports at most "
		"that many proxies)");
	assert_null(expanded);
	runtime_config_free(config);
}

static void plain_config_expands_to_a_copy(void **state)
{
	(void)state;
	struct runtime_config *x = expand_ok("{\"start\": [" READER "]}");
	assert_int_equal(x->start_count, 1);
	assert_false(routes_to_a_node(x));
	assert_int_equal(x->export_count, 0);
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

#define RPC_TO(node, service) \
	"\"default_route\": [{\"service\": \"" service "\", \"to\": {\"node\": \"" node \
	"\", \"service\": \"" service "\"}}]"
#define EXPORT_RPC(node, service, port) \
	"{\"node\": \"" node "\", \"service\": \"" service "\", \"port\": " port "}"

static const struct refusal refusals[] = {
	{ "{" PARENT ", " NODES ", \"start\": []}",
	  "\"nodes\" needs \"node\" (this node's name, key and cert)", false },
	{ "{" PARENT ", " ROUTE_TO("a", "ROM", "shared") "}",
	  "default_route[0]: names node \"a\", but the config has no \"node\" (this node's "
	  "name, key and cert)",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", " ROUTE_TO("z", "ROM", "shared") "}",
	  "default_route[0]: names node \"z\", which \"nodes\" does not list",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", " ROUTE_TO("b", "ROM", "shared") "}",
	  "default_route[0]: names node \"b\", which is this node", false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", " ROUTE_TO("a", "LOG", "shared") "}",
	  "default_route[0]: to: service \"LOG\" does not cross to another node (the proxies "
	  "need it on their own node)",
	  false },
	{ "{" PARENT ", " SELF ", " NODES ", " ROUTE_TO("a", "ROM", "../x") "}",
	  "default_route[0]: to: \"label\" value \"../x\" may hold only A-Z, a-z, 0-9, '_', '.' "
	  "and '-'",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"default_route\": [{\"service\": \"ROM\", "
	  "\"to\": {\"node\": \"a\", \"service\": \"ROM\"}}]}",
	  "default_route[0]: to: a ROM target on a node needs \"label\" (the module's name on "
	  "that node)",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"default_route\": [{\"service\": \"*\", "
	  "\"to\": {\"node\": \"a\", \"service\": \"ROM\", \"label\": \"s\"}}]}",
	  "default_route[0]: routes \"*\" to service \"ROM\" of node \"a\": a route to a node "
	  "names the same service on both sides",
	  false },
	{ "{\"parent_provides\": [\"ROM\"], " SELF ", " NODES
	  ", " ROUTE_TO("a", "ROM", "s") "}",
	  "sessions with other nodes need \"Net\" in \"parent_provides\" (for init's proxies)",
	  false },
	{ "{" SELF
	  ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"sha256:AA\"}]}",
	  "nodes[0]: \"fingerprint\" must be \"sha256:\" and 64 lowercase hex digits (what "
	  "remote-key prints)",
	  false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\"}, "
	  "{\"name\": \"a\", \"fingerprint\": \"" FP_C "\"}]}",
	  "nodes[1]: node \"a\" is listed twice (nodes[0])", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\"}, "
	  "{\"name\": \"c\", \"fingerprint\": \"" FP_A "\"}]}",
	  "nodes[1]: node \"c\" has the key of node \"a\" (one key, one node)",
	  false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\", \"port\": 0}]}",
	  "nodes[0]: \"port\" must be 1 to 65535", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\", \"addr\": 1}]}",
	  "nodes[0]: unknown field \"addr\"", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\", \"keepalive_ms\": 99}]}",
	  "nodes[0]: \"keepalive_ms\" must be 100 to 60000", false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\", \"keepalive_ms\": 60001}]}",
	  "nodes[0]: \"keepalive_ms\" must be a whole number from 0 to 60000",
	  false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\", \"keepalive_ms\": 1500.5}]}",
	  "nodes[0]: \"keepalive_ms\" must be a whole number from 0 to 60000",
	  false },
	{ "{" SELF ", \"nodes\": [{\"name\": \"a\", \"fingerprint\": \"" FP_A
	  "\", \"keepalive_ms\": \"2000\"}]}",
	  "nodes[0]: \"keepalive_ms\" must be a number", false },
	{ "{\"node\": {\"name\": \"b\", \"key\": \"b.key\"}}",
	  "node: needs \"name\", \"key\" and \"cert\" (this node's name and the ROMs of its key "
	  "and certificate)",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"a\", \"service\": \"ROM\", "
	  "\"label\": \"s\"}]}",
	  "exports[0]: exports ROM to node \"a\", whose entry in \"nodes\" gives no \"port\" "
	  "to listen on",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"c\", \"service\": \"ROM\", "
	  "\"label\": \"s\", \"from\": \"nobody\"}]}",
	  "exports[0]: unknown child \"nobody\" in \"from\"", false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"c\", \"service\": \"ROM\", "
	  "\"label\": \"s\"}, {\"node\": \"c\", \"service\": \"ROM\", \"label\": \"s\"}]}",
	  "exports[1]: \"s\" is exported to node \"c\" twice (exports[0])",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"c\", \"service\": \"RPC\", "
	  "\"label\": \"s\"}]}",
	  "exports[0]: \"label\" is for ROM exports only: a session of \"RPC\" crosses with its "
	  "own label",
	  false },
	{ "{" PARENT ", " SELF ", " NODES ", " ROUTE_TO(
		  "a", "ROM",
		  "s") ", \"start\": ["
	               "{\"name\": \"remote-rom-from-a\", \"binary\": \"x\", \"ram\": 1}]}",
	  "start[0] \"remote-rom-from-a\": names starting with \"remote-rom-\" or "
	  "\"remote-rpc-\" are init's remote proxies'",
	  true },
	/* RPC services (the generic proxies) */
	{ "{" PARENT ", " SELF ", " NODES ", " RPC_TO("a", "Report") "}",
	  "default_route[0]: to: service \"Report\" does not cross to another node (the "
	  "proxies need it on their own node)",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"default_route\": [{\"service\": \"Counter\", "
	  "\"to\": {\"node\": \"a\", \"service\": \"Counter\", \"label\": \"x\"}}]}",
	  "default_route[0]: to: \"label\" is for ROM targets only: a session of \"Counter\" "
	  "crosses with its own label",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"default_route\": [{\"service\": \"Counter\", "
	  "\"to\": {\"node\": \"a\", \"service\": \"Timer\"}}]}",
	  "default_route[0]: routes \"Counter\" to service \"Timer\" of node \"a\": a route to "
	  "a node names the same service on both sides",
	  false },
	{ "{" PARENT ", " SELF ", " NODES ", " RPC_TO(
		  "c",
		  "Counter") ", \"start\": ["
	                     "{\"name\": \"remote-rpc-x\", \"binary\": \"x\", \"ram\": 1}]}",
	  "start[0] \"remote-rpc-x\": names starting with \"remote-rom-\" or "
	  "\"remote-rpc-\" are init's remote proxies'",
	  true },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"c\", \"service\": \"Counter\"}]}",
	  "exports[0]: an export of \"Counter\" needs a \"port\" of its own to listen on",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"c\", \"service\": "
	  "\"ROM\", \"label\": \"s\", \"port\": 7500}]}",
	  "exports[0]: a ROM export takes no \"port\" (ROMs go over the port of the node's "
	  "entry in \"nodes\")",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"c\", \"service\": "
	  "\"Counter\", \"port\": 0}]}",
	  "exports[0]: \"port\" must be 1 to 65535", false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [" EXPORT_RPC("c", "Counter",
	                                "7500") ", " EXPORT_RPC("c", "Counter",
	                                                        "7501") "]}",
	  "exports[1]: \"Counter\" is exported to node \"c\" twice (exports[0])",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [" EXPORT_RPC("c", "Counter",
	                                "7500") ", " EXPORT_RPC("a", "Vault",
	                                                        "7500") "]}",
	  "exports[1]: port 7500 is taken by exports[0] (one port per exported service and "
	  "node)",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [" EXPORT_RPC("a", "Vault", "7401") "]}",
	  "exports[0]: port 7401 is node \"c\"'s ROM port", false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [" EXPORT_RPC("a", "Vault", "7500") "]}",
	  "exports[0]: exports \"Vault\" from the parent, which \"parent_provides\" does not "
	  "list",
	  false },
	{ "{" PARENT ", " SELF ", " NODES
	  ", \"exports\": [{\"node\": \"a\", \"service\": "
	  "\"Vault\", \"port\": 7500, \"from\": \"reader\"}], \"start\": [{\"name\": "
	  "\"reader\", \"binary\": \"probe\", \"ram\": 1, \"provides\": [\"Other\"]}]}",
	  "exports[0]: child \"reader\" does not provide \"Vault\"", false },
	{ "{" PARENT ", " SELF ", \"nodes\": [{\"name\": "
	  "\"a123456789012345678901234567890123456789\", \"fingerprint\": \"" FP_A
	  "\"}], " RPC_TO("a123456789012345678901234567890123456789",
	                  "Counters") "}",
	  "the proxy's name \"remote-rpc-from-a123456789012345678901234567890123456789-counters\" "
	  "is longer than 64 bytes (shorten the node's or the service's name)",
	  true },
	{ "{" PARENT ", " SELF ", " NODES ", \"default_route\": ["
	  "{\"service\": \"Counter\", \"to\": {\"node\": \"a\", \"service\": \"Counter\"}}, "
	  "{\"service\": \"counter\", \"to\": {\"node\": \"a\", \"service\": \"counter\"}}]}",
	  "two proxies named \"remote-rpc-from-a-counter\"", true },
};

static void refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *r = &refusals[i];
		struct runtime_config *config = NULL, *expanded = NULL;
		struct runtime_config_error error;
		enum runtime_config_status status =
			runtime_config_parse(r->json, strlen(r->json), &config,
		                             &error);
		if (r->at_expansion) {
			assert_int_equal(status, RUNTIME_CONFIG_OK);
			status = runtime_config_expand_remote(config, &expanded,
			                                      &error);
			assert_null(expanded);
			runtime_config_free(config);
			config = NULL;
		}
		if (status != RUNTIME_CONFIG_INVALID ||
		    strcmp(error.message, r->message) != 0)
			fail_msg(
				"case %zu: status %d, message \"%s\", expected \"%s\"",
				i, status, error.message, r->message);
		assert_null(config);
	}
}

/* 32 modules from one node do not fit one link's channels. */
static void too_many_modules(void **state)
{
	(void)state;
	char text[16384];
	size_t n = (size_t)snprintf(text, sizeof(text),
	                            "{" PARENT ", " SELF ", " NODES
	                            ", \"default_route\": [");
	for (int i = 0; i < REMOTE_PROXY_MODULES_MAX + 1; i++)
		n += (size_t)snprintf(
			text + n, sizeof(text) - n,
			"%s{\"service\": \"ROM\", \"label\": \"x%d\", \"to\": {\"node\": "
			"\"a\", \"service\": \"ROM\", \"label\": \"m%d\"}}",
			i ? ", " : "", i, i);
	snprintf(text + n, sizeof(text) - n, "]}");
	struct runtime_config *config = parse_ok(text), *expanded = NULL;
	struct runtime_config_error error;
	assert_int_equal(runtime_config_expand_remote(config, &expanded,
	                                              &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(error.message,
	                    "more than 31 ROMs imported from node \"a\" (one "
	                    "link carries at most that many)");
	runtime_config_free(config);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(expansion_makes_proxies),
		cmocka_unit_test(expansion_versions_restart_proxies),
		cmocka_unit_test(node_keepalive_reaches_its_proxies),
		cmocka_unit_test(expansion_makes_rpc_proxies),
		cmocka_unit_test(too_many_rpc_proxies),
		cmocka_unit_test(expansion_takes_proxies_from_a_pkg),
		cmocka_unit_test(plain_config_expands_to_a_copy),
		cmocka_unit_test(refused),
		cmocka_unit_test(too_many_modules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
