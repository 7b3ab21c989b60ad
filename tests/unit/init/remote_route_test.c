/*
 * Unit tests of init's routes to other nodes, without processes: a config
 * with a node table and routes to a node goes through reconfig_prepare
 * (runtime/init/reconfig.c), which runs the expansion (format/remote.h),
 * so the plan starts the proxies beside the user's children and the quota
 * check counts them; route_decide (runtime/init/route.c) then sends a
 * reader's ROM session to the client proxy with the module's name on the
 * other node as the label the proxy sees, the proxy's key to the parent
 * by name, and a config whose proxies do not fit init's quota is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/remote.h"
#include "reconfig.h"
#include "route.h"

#define FP "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
static const char config_b[] =
	"{\"parent_provides\":[\"ROM\",\"LOG\",\"PD\",\"CPU\",\"RM\",\"Net\"],"
	"\"default_route\":[{\"service\":\"ROM\",\"label_last\":\"shared\","
	"\"to\":{\"node\":\"a\",\"service\":\"ROM\",\"label\":\"shared\"}},"
	"{\"service\":\"*\",\"to\":\"parent\"}],"
	"\"node\":{\"name\":\"b\",\"key\":\"b.key\",\"cert\":\"b.crt\"},"
	"\"nodes\":[{\"name\":\"a\",\"fingerprint\":\"" FP "\"}],"
	"\"start\":[{\"name\":\"reader\",\"binary\":\"probe\",\"ram\":\"1M\"}]}";

static struct runtime_config *prepare(uint64_t ram,
                                      enum runtime_config_status expect,
                                      const char *message)
{
	const struct reconfig_budget budget = { ram, 1000 };
	struct runtime_config *next = NULL;
	struct config_plan plan;
	struct runtime_config_error error;

	assert_int_equal(reconfig_prepare(NULL, config_b, strlen(config_b),
	                                  &budget, NULL, &next, &plan, &error),
	                 expect);
	if (expect != RUNTIME_CONFIG_OK) {
		assert_string_equal(error.message, message);
		assert_null(next);
		return NULL;
	}
	assert_int_equal(plan.new_count, 2);
	assert_true(plan.added[0] && plan.added[1]);
	config_plan_free(&plan);
	return next;
}

static void proxies_start_with_the_children(void **state)
{
	(void)state;
	struct runtime_config *c = prepare(64ull << 20, RUNTIME_CONFIG_OK,
	                                   NULL);
	assert_string_equal(c->start[1].name, "remote-rom-from-a");
	runtime_config_free(c);
}

static void proxies_count_in_the_quota(void **state)
{
	(void)state;
	prepare(8ull << 20, RUNTIME_CONFIG_OVER_QUOTA,
	        "start[1] \"remote-rom-from-a\": needs 16777216 bytes of ram but only 7340032 of "
	        "init's 8388608 are left");
}

static void reader_goes_to_the_proxy(void **state)
{
	(void)state;
	struct runtime_config *c = prepare(64ull << 20, RUNTIME_CONFIG_OK,
	                                   NULL);
	struct route_decision d;

	/* the reader asks "shared" (or any label ending so): the proxy sees
	 * the reader and the module's name on a */
	assert_int_equal(route_decide(c, "reader", "ROM", "shared", &d),
	                 ROUTE_TO_CHILD);
	assert_string_equal(d.server->name, "remote-rom-from-a");
	assert_string_equal(d.label, "reader -> shared");
	assert_int_equal(route_decide(c, "reader", "ROM", "x -> shared", &d),
	                 ROUTE_TO_CHILD);
	assert_string_equal(d.label, "reader -> shared");
	/* other ROMs of the reader stay local */
	assert_int_equal(route_decide(c, "reader", "ROM", "other", &d),
	                 ROUTE_TO_PARENT);
	assert_string_equal(d.label, "reader -> other");
	/* the proxy's key by name (ROM scoping: config/), Net to core */
	assert_int_equal(route_decide(c, "remote-rom-from-a", "ROM", "b.key",
	                              &d),
	                 ROUTE_TO_PARENT);
	assert_true(d.named_service);
	assert_int_equal(route_decide(c, "remote-rom-from-a", "Net", "", &d),
	                 ROUTE_TO_PARENT);
	/* the proxy never reaches itself, and another child's key is not its */
	assert_int_equal(route_decide(c, "reader", "ROM", "b.key", &d),
	                 ROUTE_TO_PARENT);
	assert_false(d.named_service);
	runtime_config_free(c);
}

/* Node a serves Counter of its counter child to b, b's client uses it:
 * the sessions go to the RPC proxies with their own labels. */
static const char config_rpc_a[] =
	"{\"parent_provides\":[\"ROM\",\"LOG\",\"PD\",\"CPU\",\"RM\",\"Net\"],"
	"\"default_route\":[{\"service\":\"Counter\",\"to\":{\"node\":\"b\",\"service\":\"Counter\"}},"
	"{\"service\":\"*\",\"to\":\"parent\"}],"
	"\"node\":{\"name\":\"a\",\"key\":\"a.key\",\"cert\":\"a.crt\"},"
	"\"nodes\":[{\"name\":\"b\",\"fingerprint\":\"" FP "\"}],"
	"\"exports\":[{\"node\":\"b\",\"service\":\"Vault\",\"port\":7501,\"from\":\"vault\"}],"
	"\"start\":[{\"name\":\"client\",\"binary\":\"probe\",\"ram\":\"1M\"},"
	"{\"name\":\"vault\",\"binary\":\"vault\",\"ram\":\"1M\",\"provides\":[\"Vault\"]}]}";

static void rpc_sessions_go_to_the_proxies(void **state)
{
	(void)state;
	const struct reconfig_budget budget = { 64ull << 20, 1000 };
	struct runtime_config *c = NULL;
	struct config_plan plan;
	struct runtime_config_error error;
	struct route_decision d;

	assert_int_equal(reconfig_prepare(NULL, config_rpc_a,
	                                  strlen(config_rpc_a), &budget, NULL,
	                                  &c, &plan, &error),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(plan.new_count, 4);
	config_plan_free(&plan);
	assert_int_equal(route_decide(c, "client", "Counter", "", &d),
	                 ROUTE_TO_CHILD);
	assert_string_equal(d.server->name, "remote-rpc-from-b-counter");
	assert_string_equal(d.label, "client");
	/* the server proxy's sessions reach the exported child, any label */
	assert_int_equal(route_decide(c, "remote-rpc-to-b-vault", "Vault",
	                              "probe -> probe", &d),
	                 ROUTE_TO_CHILD);
	assert_string_equal(d.server->name, "vault");
	/* and its key by name, Net to core */
	assert_int_equal(route_decide(c, "remote-rpc-to-b-vault", "ROM",
	                              "a.key", &d),
	                 ROUTE_TO_PARENT);
	assert_true(d.named_service);
	assert_int_equal(route_decide(c, "remote-rpc-to-b-vault", "Net", "",
	                              &d),
	                 ROUTE_TO_PARENT);
	/* no other child reaches the server proxy's export */
	assert_int_equal(route_decide(c, "client", "Vault", "", &d),
	                 ROUTE_DENIED);
	runtime_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proxies_start_with_the_children),
		cmocka_unit_test(proxies_count_in_the_quota),
		cmocka_unit_test(reader_goes_to_the_proxy),
		cmocka_unit_test(rpc_sessions_go_to_the_proxies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
