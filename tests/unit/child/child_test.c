/*
 * In-process tests of runtime/child's session broker (runtime/child.h):
 * the test's main thread plays the children (it calls their parent objects
 * with the parent stubs), fake servers on an entrypoint of their own play
 * core's PD service, the servers' roots and the parent's own parent. A root
 * that never answers is an endpoint that nobody serves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <runtime/signal.h>

#include "fakes.h"

#define TIMEOUT_MS 300
#define GUARD_MS 20000   /* only so that a broken broker fails, not hangs */

struct recorded_failure {
	char service[SERVICE_NAME_MAX + 1];
	int error;
	char reason[CHILD_REASON_MAX];
};

struct fixture {
	entrypoint_t *fake_ep, *parent_ep;
	struct fake_pd host_pd, client_pd, server_pd, slow_pd;
	struct fake_root server_root, host_root, local_root, cpu_root;
	struct fake_root other_root; /* "slow"'s Echo, for re-routing */
	const char *echo_to;         /* Echo's route: NULL ("server"), a
	                                    child, "parent" or "none" */
	const char *echo_from;       /* Echo's rom_from (archive dropped),
	                                    NULL: no arguments of the parent */
	struct fake_host host;
	struct service_registry registry;
	child_broker_t *broker;
	child_t *client, *server, *slow;
	kendpoint_t *silent; /* the root that never answers */
	kcap_t silent_cap;
	signal_receiver_t *rx;
	signal_context_t session_ctx;
	kcap_t session_sig;
	struct recorded_failure failures[8]; /* written by workers */
	unsigned failure_count;
	int exits, exit_code;
	int requests; /* resource_requested calls */
	uint64_t request_ram, request_caps;
	bool exit_fault;
	unsigned changes; /* sessions_changed calls, atomic */
};

/* --- the policy -------------------------------------------------------- */

static void route(void *ctx, child_t *child, const char *service,
                  const char *label, struct child_route *r)
{
	struct fixture *f = ctx;

	if (!strcmp(service, "Echo") && f->echo_to &&
	    !strcmp(f->echo_to, "none")) {
		snprintf(r->reason, sizeof(r->reason), "Echo is off");
	} else if (!strcmp(service, "Echo") && f->echo_to &&
	           !strcmp(f->echo_to, "parent")) {
		r->kind = CHILD_ROUTE_PARENT;
	} else if (!strcmp(service, "Echo")) {
		r->kind = CHILD_ROUTE_CHILD;
		strcpy(r->server, f->echo_to ? f->echo_to : "server");
	} else if (!strcmp(service, "Slow")) {
		r->kind = CHILD_ROUTE_CHILD;
		strcpy(r->server, "slow");
	} else if (!strcmp(service, "Late")) {
		r->kind = CHILD_ROUTE_CHILD;
		strcpy(r->server, "server");
	} else if (!strcmp(service, "Up")) {
		r->kind = CHILD_ROUTE_PARENT;
	} else if (!strcmp(service, "CPU")) {
		r->kind = CHILD_ROUTE_LOCAL;
		r->local.root = f->cpu_root.cap;
		r->local.pd = f->host_pd.cap;
	} else if (!strcmp(service, "Local")) {
		r->kind = CHILD_ROUTE_LOCAL;
		r->local.root = f->local_root.cap;
		r->local.pd = f->host_pd.cap;
	} else {
		snprintf(r->reason, sizeof(r->reason), "no route for %s",
		         service);
	}
	if (!strcmp(service, "Echo") && f->echo_from) {
		assert_int_equal(child_route_set_arg(r, "rom_from",
		                                     f->echo_from),
		                 0);
		assert_int_equal(child_route_drop_arg(r, "archive"), 0);
	}
}

static void session_failed(void *ctx, child_t *child, const char *service,
                           const char *label, int error, const char *reason)
{
	struct fixture *f = ctx;
	unsigned i = __atomic_fetch_add(&f->failure_count, 1, __ATOMIC_SEQ_CST);

	if (i >= 8)
		return;
	snprintf(f->failures[i].service, sizeof(f->failures[i].service), "%s",
	         service);
	snprintf(f->failures[i].reason, sizeof(f->failures[i].reason), "%s",
	         reason);
	f->failures[i].error = error;
}

static void resource_requested(void *ctx, child_t *child, uint64_t ram,
                               uint64_t caps)
{
	struct fixture *f = ctx;

	(void)child;
	f->requests++;
	f->request_ram = ram;
	f->request_caps = caps;
}

static void exited(void *ctx, child_t *child, bool fault, int code)
{
	struct fixture *f = ctx;

	f->exits++;
	f->exit_code = code;
	f->exit_fault = fault;
}

static void sessions_changed(void *ctx)
{
	struct fixture *f = ctx;

	__atomic_fetch_add(&f->changes, 1, __ATOMIC_SEQ_CST);
}

/* --- set-up ------------------------------------------------------------ */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct child_policy policy = {
		.route = route,
		.exited = exited,
		.session_failed = session_failed,
		.resource_requested = resource_requested,
		.ctx = f,
	};

	assert_int_equal(entrypoint_create(&f->fake_ep, "fakes"), 0);
	assert_int_equal(entrypoint_create(&f->parent_ep, "parent"), 0);
	assert_int_equal(fake_pd_start(&f->host_pd, f->fake_ep, 1 << 20, 100),
	                 0);
	assert_int_equal(fake_pd_start(&f->client_pd, f->fake_ep, 64 << 10, 20),
	                 0);
	assert_int_equal(fake_pd_start(&f->server_pd, f->fake_ep, 0, 0), 0);
	assert_int_equal(fake_pd_start(&f->slow_pd, f->fake_ep, 0, 0), 0);
	assert_int_equal(fake_root_start(&f->server_root, f->fake_ep), 0);
	assert_int_equal(fake_root_start(&f->host_root, f->fake_ep), 0);
	assert_int_equal(fake_root_start(&f->local_root, f->fake_ep), 0);
	assert_int_equal(fake_root_start(&f->cpu_root, f->fake_ep), 0);
	assert_int_equal(fake_root_start(&f->other_root, f->fake_ep), 0);
	f->cpu_root.cpu = true;
	fake_host_init(&f->host, &f->host_root, f->host_pd.cap);
	service_registry_init(&f->registry);
	assert_int_equal(kendpoint_create(&f->silent, &f->silent_cap), 0);

	struct child_broker_config cfg = {
		.ep = f->parent_ep,
		.host = &f->host.host,
		.registry = &f->registry,
		.timeout_ms = TIMEOUT_MS,
		.sessions_changed = sessions_changed,
		.sessions_changed_ctx = f,
	};
	assert_int_equal(child_broker_create(&f->broker, &cfg), 0);
	assert_int_equal(child_create(f->broker, "client", f->client_pd.cap,
	                              ~0u, &policy, &f->client),
	                 0);
	assert_int_equal(child_create(f->broker, "server", f->server_pd.cap,
	                              ~0u, &policy, &f->server),
	                 0);
	assert_int_equal(child_create(f->broker, "slow", f->slow_pd.cap, ~0u,
	                              &policy, &f->slow),
	                 0);

	assert_int_equal(signal_receiver_create(&f->rx), 0);
	assert_int_equal(signal_receiver_manage(f->rx, &f->session_ctx,
	                                        &f->session_sig),
	                 0);
	assert_int_equal(parent_session_sigh(child_parent_cap(f->client),
	                                     f->session_sig),
	                 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	child_destroy(f->client);
	child_destroy(f->server);
	child_destroy(f->slow);
	child_broker_destroy(f->broker);
	service_registry_destroy(&f->registry);
	kcap_close(f->session_sig);
	signal_receiver_destroy(f->rx);
	kendpoint_dissolve(f->silent);
	kcap_close(f->silent_cap);
	fake_host_fini(&f->host);
	fake_root_stop(&f->server_root);
	fake_root_stop(&f->host_root);
	fake_root_stop(&f->local_root);
	fake_root_stop(&f->cpu_root);
	fake_root_stop(&f->other_root);
	fake_pd_stop(&f->host_pd);
	fake_pd_stop(&f->client_pd);
	fake_pd_stop(&f->server_pd);
	fake_pd_stop(&f->slow_pd);
	entrypoint_destroy(f->parent_ep);
	entrypoint_destroy(f->fake_ep);
	free(f);
	return 0;
}

/* --- the client's side ---------------------------------------------------- */

static kcap_t client_parent(struct fixture *f)
{
	return child_parent_cap(f->client);
}

/* What a component's runtime does: session, then wait for the session
 * signal until session_cap stops saying "pending". */
static int await_session(struct fixture *f, uint32_t id, kcap_t *cap)
{
	signal_t sig;
	int status;

	while ((status = parent_session_cap(client_parent(f), id, cap)) ==
	       PARENT_ERR_PENDING)
		assert_int_equal(signal_receiver_wait(f->rx, &sig, GUARD_MS),
		                 0);
	return status;
}

static int open_session(struct fixture *f, const char *service,
                        const char *args, uint32_t *id, kcap_t *cap)
{
	int status = parent_session(client_parent(f), service, args, id);

	return status ? status : await_session(f, *id, cap);
}

static void announce_echo(struct fixture *f)
{
	assert_int_equal(parent_announce(child_parent_cap(f->server), "Echo",
	                                 f->server_root.cap),
	                 0);
}

static uint64_t ram_of(struct fake_pd *pd)
{
	uint64_t ram_limit, ram_used, cap_limit, cap_used;

	assert_int_equal(pd_quota(pd->cap, &ram_limit, &ram_used, &cap_limit,
	                          &cap_used),
	                 0);
	return ram_limit;
}

static uint64_t caps_of(struct fake_pd *pd)
{
	uint64_t ram_limit, ram_used, cap_limit, cap_used;

	assert_int_equal(pd_quota(pd->cap, &ram_limit, &ram_used, &cap_limit,
	                          &cap_used),
	                 0);
	return cap_limit;
}

/* --- tests ------------------------------------------------------------ */

static void test_session_at_child_moves_quota_and_back(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	announce_echo(f);
	assert_int_equal(
		open_session(f, "Echo",
	                     "label=\"out\", ram_quota=16K, cap_quota=3", &id,
	                     &cap),
		0);
	assert_int_equal(log_write(cap, "hello"), 0);
	assert_int_equal(f->server_root.sessions[0].lines, 1);
	/* the server saw the prefixed label */
	assert_non_null(strstr(f->server_root.last_args,
	                       "label=\"client -> out\""));
	/* the client paid, the server got it */
	assert_int_equal(ram_of(&f->client_pd), (64 << 10) - (16 << 10));
	assert_int_equal(ram_of(&f->server_pd), 16 << 10);
	assert_int_equal(caps_of(&f->client_pd), 17);
	assert_int_equal(caps_of(&f->server_pd), 3);

	assert_int_equal(parent_close(client_parent(f), id), 0);
	child_broker_drain(f->broker);
	assert_int_equal(f->server_root.closed, 1);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(ram_of(&f->server_pd), 0);
	assert_int_equal(caps_of(&f->client_pd), 20);
	/* the session is gone at the server, and its id at the parent */
	assert_int_equal(log_write(cap, "late"), KERR_REVOKED);
	assert_int_equal(parent_close(client_parent(f), id),
	                 PARENT_ERR_UNKNOWN);
	kcap_close(cap);
}

static void test_parent_arguments_replace_the_clients(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	announce_echo(f);
	f->echo_from = "depot";
	assert_int_equal(open_session(f, "Echo",
	                              "label=\"out\", rom_from=\"config\", "
	                              "archive=\"a/raw/b/1\", ram_quota=16K",
	                              &id, &cap),
	                 0);
	assert_non_null(strstr(f->server_root.last_args, "rom_from=\"depot\""));
	assert_null(strstr(f->server_root.last_args, "config"));
	assert_null(strstr(f->server_root.last_args, "archive"));
	assert_non_null(strstr(f->server_root.last_args, "ram_quota=16K"));
	kcap_close(cap);
}

static void test_route_arguments_are_bounded(void **state)
{
	struct child_route r;
	char long_value[CHILD_ROUTE_ARG_VALUE_MAX + 2];

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(long_value, 'v', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	assert_int_equal(child_route_set_arg(&r, "not a tag", "x"),
	                 KERR_INVALID);
	assert_int_equal(child_route_set_arg(&r, "a", long_value),
	                 KERR_INVALID);
	assert_int_equal(child_route_set_arg(&r, "a", "1"), 0);
	assert_int_equal(child_route_set_arg(&r, "a", "2"), 0); /* replaced */
	assert_string_equal(r.args[0].value, "2");
	assert_int_equal(child_route_set_arg(&r, "b", "1"), 0);
	assert_int_equal(child_route_set_arg(&r, "c", "1"), 0);
	assert_int_equal(child_route_drop_arg(&r, "d"), 0);
	assert_int_equal(child_route_set_arg(&r, "e", "1"), KERR_INVALID);
}

/* The binary's ROM session carries child_config.rom_args after its label
 * and quota. The fake host's "ROM" is no ROM, so the start fails after
 * the request, and nothing is left. */
static void test_spawn_asks_for_the_binary_with_rom_args(void **state)
{
	struct fixture *f = *state;
	struct child_policy policy = {
		.route = route,
		.exited = exited,
		.session_failed = session_failed,
		.resource_requested = resource_requested,
		.ctx = f,
	};
	struct child_config cfg = {
		.name = "spawned",
		.binary = "prog",
		.rom_args = "rom_from=\"depot\", archive=\"a/bin/x/p/1\"",
		.ram = 4096,
		.caps = 2,
	};
	char error[CHILD_REASON_MAX];
	child_t *c = NULL;

	assert_int_not_equal(child_spawn(f->broker, &cfg, &policy, &c, error,
	                                 sizeof(error)),
	                     0);
	assert_null(c);
	assert_non_null(strstr(f->host_root.last_args, "label=\"prog\""));
	assert_non_null(
		strstr(f->host_root.last_args,
	               ", rom_from=\"depot\", archive=\"a/bin/x/p/1\""));
	cfg.rom_args = "rom_from=\"open";
	assert_int_equal(child_spawn(f->broker, &cfg, &policy, &c, error,
	                             sizeof(error)),
	                 KERR_INVALID);
	assert_non_null(strstr(error, "malformed or too long arguments"));
	assert_null(c);
}

static void test_empty_label_is_the_child_name(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	announce_echo(f);
	assert_int_equal(open_session(f, "Echo", "ram_quota=0", &id, &cap), 0);
	assert_non_null(strstr(f->server_root.last_args, "label=\"client\""));
	assert_null(strstr(f->server_root.last_args, "->"));
	kcap_close(cap);
}

static void test_unresponsive_server_blocks_nobody(void **state)
{
	struct fixture *f = *state;
	uint32_t slow_id, echo_id;
	kcap_t cap, echo;

	announce_echo(f);
	assert_int_equal(parent_announce(child_parent_cap(f->slow), "Slow",
	                                 f->silent_cap),
	                 0);
	assert_int_equal(
		parent_session(client_parent(f), "Slow",
	                       "label=\"x\", ram_quota=8K, cap_quota=1",
	                       &slow_id),
		0);
	/* while the slow server keeps a worker waiting, the parent answers */
	assert_int_equal(parent_session_cap(client_parent(f), slow_id, &cap),
	                 PARENT_ERR_PENDING);
	assert_int_equal(open_session(f, "Echo", "label=\"y\"", &echo_id,
	                              &echo),
	                 0);
	assert_int_equal(log_write(echo, "still working"), 0);

	assert_int_equal(await_session(f, slow_id, &cap),
	                 PARENT_ERR_UNRESPONSIVE);
	/* the failure is reported once and the id forgotten */
	assert_int_equal(parent_session_cap(client_parent(f), slow_id, &cap),
	                 PARENT_ERR_UNKNOWN);
	/* the quota came back */
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(ram_of(&f->slow_pd), 0);
	child_broker_drain(f->broker);
	assert_int_equal(f->failure_count, 1);
	assert_string_equal(f->failures[0].service, "Slow");
	assert_int_equal(f->failures[0].error, PARENT_ERR_UNRESPONSIVE);
	kcap_close(echo);
}

static void test_denied_without_route(void **state)
{
	struct fixture *f = *state;
	uint32_t id;

	assert_int_equal(parent_session(client_parent(f), "Nope",
	                                "label=\"x\", ram_quota=4K", &id),
	                 PARENT_ERR_DENIED);
	assert_int_equal(f->failure_count, 1);
	assert_string_equal(f->failures[0].reason, "no route for Nope");
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
}

static void test_malformed_requests_are_invalid(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	assert_int_equal(parent_session(client_parent(f), "bad name", "", &id),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_session(client_parent(f), "", "", &id),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_session(client_parent(f), "Echo",
	                                "label=\"open", &id),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_session(client_parent(f), "Echo",
	                                "ram_quota=lots", &id),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_session_cap(client_parent(f), 4711, &cap),
	                 PARENT_ERR_UNKNOWN);
	assert_int_equal(parent_close(client_parent(f), 4711),
	                 PARENT_ERR_UNKNOWN);
	assert_int_equal(parent_upgrade(client_parent(f), 4711, "ram_quota=1K"),
	                 PARENT_ERR_UNKNOWN);
}

static void test_more_ram_than_the_client_has(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	announce_echo(f);
	assert_int_equal(open_session(f, "Echo", "label=\"x\", ram_quota=1M",
	                              &id, &cap),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(open_session(f, "Echo", "label=\"x\", cap_quota=1000",
	                              &id, &cap),
	                 PARENT_ERR_OUT_OF_CAPS);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(ram_of(&f->server_pd), 0);
	assert_int_equal(f->server_root.opened, 0);
}

static void test_request_waits_for_announcement(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	assert_int_equal(parent_session(client_parent(f), "Late", "label=\"x\"",
	                                &id),
	                 0);
	assert_int_equal(parent_announce(child_parent_cap(f->server), "Late",
	                                 f->server_root.cap),
	                 0);
	assert_int_equal(await_session(f, id, &cap), 0);
	assert_int_equal(log_write(cap, "hi"), 0);
}

static void test_no_announcement_in_time(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	assert_int_equal(open_session(f, "Late", "label=\"x\", ram_quota=1K",
	                              &id, &cap),
	                 PARENT_ERR_UNRESPONSIVE);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	child_broker_drain(f->broker);
	assert_non_null(strstr(f->failures[0].reason, "did not announce"));
}

static void test_parent_service_is_forwarded(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	assert_int_equal(open_session(f, "Up", "label=\"x\", ram_quota=4K", &id,
	                              &cap),
	                 0);
	assert_int_equal(f->host.opened, 1);
	assert_non_null(strstr(f->host_root.last_args, "client -> x"));
	assert_int_equal(ram_of(&f->host_pd), (1 << 20) + (4 << 10));
	assert_int_equal(parent_upgrade(client_parent(f), id, "ram_quota=4K"),
	                 0);
	assert_int_equal(ram_of(&f->host_pd), (1 << 20) + (8 << 10));
	assert_int_equal(parent_close(client_parent(f), id), 0);
	child_broker_drain(f->broker);
	assert_int_equal(f->host.upgrades, 1);
	assert_int_equal(f->host.closed, 1);
	assert_int_equal(ram_of(&f->host_pd), 1 << 20);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	kcap_close(cap);
}

static void test_local_service(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	assert_int_equal(open_session(f, "Local", "label=\"config\"", &id,
	                              &cap),
	                 0);
	assert_int_equal(f->local_root.opened, 1);
	assert_int_equal(log_write(cap, "x"), 0);
	kcap_close(cap);
}

static void test_upgrade_moves_quota_and_tells_server(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	announce_echo(f);
	assert_int_equal(open_session(f, "Echo", "ram_quota=4K", &id, &cap), 0);
	assert_int_equal(parent_upgrade(client_parent(f), id,
	                                "ram_quota=8K, cap_quota=2"),
	                 0);
	assert_int_equal(ram_of(&f->server_pd), 12 << 10);
	assert_int_equal(parent_upgrade(client_parent(f), id, "ram_quota=1M"),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(parent_upgrade(client_parent(f), id, "ram_quota=x"),
	                 PARENT_ERR_INVALID);
	child_broker_drain(f->broker);
	assert_int_equal(f->server_root.upgrades, 1);
	assert_int_equal(parent_close(client_parent(f), id), 0);
	child_broker_drain(f->broker);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(caps_of(&f->client_pd), 20);
	kcap_close(cap);
}

static void test_close_while_pending(void **state)
{
	struct fixture *f = *state;
	uint32_t id;

	assert_int_equal(parent_announce(child_parent_cap(f->slow), "Slow",
	                                 f->silent_cap),
	                 0);
	assert_int_equal(parent_session(client_parent(f), "Slow",
	                                "ram_quota=2K", &id),
	                 0);
	assert_int_equal(parent_close(client_parent(f), id), 0);
	assert_int_equal(parent_close(client_parent(f), id),
	                 PARENT_ERR_UNKNOWN);
	child_broker_drain(f->broker);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(ram_of(&f->slow_pd), 0);
}

static void test_own_pd_is_the_environment_pd(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	assert_int_equal(open_session(f, "PD", "label=\"\"", &id, &cap), 0);
	assert_true(kcap_same_object(cap, f->client_pd.cap));
	assert_int_equal(parent_close(client_parent(f), id), 0);
	/* closing the environment's PD session leaves the PD alone */
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	kcap_close(cap);
	/* a labelled PD request is for somebody else: it is routed */
	assert_int_equal(parent_session(client_parent(f), "PD",
	                                "label=\"grandchild\"", &id),
	                 PARENT_ERR_DENIED);
}

/* session_now: the child's own PD is ready at once and comes with the id;
 * a routed session is opened on a worker, so it comes later, through
 * session_cap, as after session. */
static void test_session_now_is_at_once_only_when_ready(void **state)
{
	struct fixture *f = *state;
	uint32_t id, echo_id;
	kcap_t cap = KCAP_INVALID, echo = KCAP_INVALID;

	assert_int_equal(parent_session_now(client_parent(f), "PD",
	                                    "label=\"\"", &id, &cap),
	                 0);
	assert_true(kcap_valid(cap));
	assert_true(kcap_same_object(cap, f->client_pd.cap));
	assert_int_equal(parent_close(client_parent(f), id), 0);
	kcap_close(cap);

	announce_echo(f);
	assert_int_equal(parent_session_now(client_parent(f), "Echo",
	                                    "label=\"x\"", &echo_id, &echo),
	                 0);
	if (!kcap_valid(echo)) /* a fast worker may have it ready already */
		assert_int_equal(await_session(f, echo_id, &echo), 0);
	assert_true(kcap_valid(echo));
	assert_int_equal(parent_close(client_parent(f), echo_id), 0);
	kcap_close(echo);
	assert_int_equal(parent_session_now(client_parent(f), "bad name", "",
	                                    &id, &cap),
	                 PARENT_ERR_INVALID);
}

static void test_announce_twice_and_withdrawn_with_child(void **state)
{
	struct fixture *f = *state;
	struct service_provider p;

	announce_echo(f);
	assert_int_equal(parent_announce(child_parent_cap(f->server), "Echo",
	                                 f->server_root.cap),
	                 PARENT_ERR_EXISTS);
	assert_int_equal(parent_announce(child_parent_cap(f->server), "no way",
	                                 f->server_root.cap),
	                 PARENT_ERR_INVALID);
	assert_int_equal(service_registry_lookup(&f->registry, "Echo", "server",
	                                         &p),
	                 SERVICE_OK);
	service_provider_close(&p);
	child_destroy(f->server);
	f->server = NULL;
	assert_int_equal(service_registry_lookup(&f->registry, "Echo", "server",
	                                         &p),
	                 SERVICE_ERR_NOT_FOUND);
}

static void test_exit_is_reported_once(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parent_exit(client_parent(f), 3), 0);
	assert_int_equal(parent_exit(client_parent(f), 4), 0);
	assert_int_equal(f->exits, 1);
	assert_int_equal(f->exit_code, 3);
	assert_false(f->exit_fault);
}

/* Heartbeats: unwatched until the child registers its signal; each
 * child_heartbeat() submits it and says whether the previous request was
 * answered (heartbeat_response on the child's parent object). */
static void test_heartbeat_answered_and_skipped(void **state)
{
	struct fixture *f = *state;
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sig;
	signal_t got;

	assert_int_equal(child_heartbeat(f->client), CHILD_HEARTBEAT_UNWATCHED);
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sig), 0);
	assert_int_equal(parent_heartbeat_sigh(client_parent(f), sig), 0);
	assert_int_equal(child_heartbeat(f->client), CHILD_HEARTBEAT_ANSWERED);
	assert_int_equal(signal_receiver_wait(rx, &got, GUARD_MS), 0);
	assert_int_equal(child_heartbeat(f->client), CHILD_HEARTBEAT_SKIPPED);
	assert_int_equal(parent_heartbeat_response(client_parent(f)), 0);
	assert_int_equal(child_heartbeat(f->client), CHILD_HEARTBEAT_ANSWERED);
	assert_int_equal(child_heartbeat(f->client), CHILD_HEARTBEAT_SKIPPED);
	/* an ended child is asked no more */
	assert_int_equal(parent_exit(client_parent(f), 0), 0);
	assert_int_equal(child_heartbeat(f->client), CHILD_HEARTBEAT_UNWATCHED);
	signal_receiver_dissolve(rx, &ctx);
	kcap_close(sig);
	signal_receiver_destroy(rx);
}

/* A resource request: told to the policy, kept until answered, and the
 * answer submits the child's resource_avail signal; a request for
 * nothing or a malformed one is refused. */
static void test_resource_request_waits_for_its_answer(void **state)
{
	struct fixture *f = *state;
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sig;
	signal_t got;
	uint64_t ram = 0, caps = 0;

	assert_false(child_resource_request(f->client, &ram, &caps));
	assert_int_equal(parent_resource_request(client_parent(f),
	                                         "ram_quota=0"),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_resource_request(client_parent(f),
	                                         "ram_quota=x"),
	                 PARENT_ERR_INVALID);
	assert_int_equal(f->requests, 0);
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sig), 0);
	assert_int_equal(parent_resource_avail_sigh(client_parent(f), sig), 0);
	assert_int_equal(parent_resource_request(client_parent(f),
	                                         "ram_quota=8K, cap_quota=2"),
	                 0);
	assert_int_equal(f->requests, 1);
	assert_int_equal(f->request_ram, 8192);
	assert_int_equal(f->request_caps, 2);
	assert_true(child_resource_request(f->client, &ram, &caps));
	assert_int_equal(ram, 8192);
	assert_int_equal(caps, 2);
	assert_int_equal(signal_receiver_poll(rx, &got), KERR_TIMEOUT);
	child_resource_answer(f->client);
	assert_int_equal(signal_receiver_wait(rx, &got, GUARD_MS), 0);
	assert_false(child_resource_request(f->client, &ram, &caps));
	signal_receiver_dissolve(rx, &ctx);
	kcap_close(sig);
	signal_receiver_destroy(rx);
}

static void test_destroy_closes_open_sessions(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	announce_echo(f);
	assert_int_equal(open_session(f, "Echo", "ram_quota=4K", &id, &cap), 0);
	child_destroy(f->client);
	f->client = NULL;
	assert_int_equal(f->server_root.closed, 1);
	assert_int_equal(ram_of(&f->server_pd), 0);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	kcap_close(cap);
}

static void test_destroyed_server_ends_client_sessions(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;
	signal_t sig;

	announce_echo(f);
	assert_int_equal(open_session(f, "Echo",
	                              "label=\"out\", ram_quota=16K, "
	                              "cap_quota=3",
	                              &id, &cap),
	                 0);
	assert_int_equal(ram_of(&f->server_pd), 16 << 10);
	child_destroy(f->server);
	f->server = NULL;
	/* the donation came back to the client, not to the parent */
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(caps_of(&f->client_pd), 20);
	assert_int_equal(ram_of(&f->server_pd), 0);
	/* the client was signalled and told why; its session is an error */
	assert_int_equal(signal_receiver_wait(f->rx, &sig, GUARD_MS), 0);
	assert_int_equal(f->failure_count, 1);
	assert_string_equal(f->failures[0].service, "Echo");
	assert_int_equal(f->failures[0].error, PARENT_ERR_DENIED);
	assert_non_null(strstr(f->failures[0].reason, "\"server\" went away"));
	assert_int_equal(parent_session_cap(client_parent(f), id, &cap),
	                 PARENT_ERR_ENDED);
	assert_int_equal(parent_close(client_parent(f), id),
	                 PARENT_ERR_UNKNOWN);
	kcap_close(cap);
}

static void test_destroyed_other_child_leaves_sessions_alone(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	announce_echo(f);
	assert_int_equal(open_session(f, "Echo", "ram_quota=16K", &id, &cap),
	                 0);
	child_destroy(f->slow);
	f->slow = NULL;
	assert_int_equal(f->failure_count, 0);
	assert_int_equal(ram_of(&f->server_pd), 16 << 10);
	assert_int_equal(log_write(cap, "still here"), 0);
	assert_int_equal(parent_close(client_parent(f), id), 0);
	child_broker_drain(f->broker);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	kcap_close(cap);
}

/* Destroying a child does not wait for a request of another child: here a
 * request that waits (up to GUARD_MS) for its server to announce. */
static void test_destroy_waits_only_for_its_own_workers(void **state)
{
	struct fixture *f = *state;
	struct child_policy policy = {
		.route = route,
		.exited = exited,
		.session_failed = session_failed,
		.resource_requested = resource_requested,
		.ctx = f,
	};
	struct service_registry registry;
	struct child_broker_config cfg = {
		.ep = f->parent_ep,
		.host = &f->host.host,
		.registry = &registry,
		.timeout_ms = GUARD_MS,
	};
	child_broker_t *broker;
	child_t *client, *server, *other;
	uint32_t id;
	kcap_t cap;
	signal_t sig;
	int status;

	service_registry_init(&registry);
	assert_int_equal(child_broker_create(&broker, &cfg), 0);
	assert_int_equal(child_create(broker, "client", f->client_pd.cap, ~0u,
	                              &policy, &client),
	                 0);
	assert_int_equal(child_create(broker, "server", f->server_pd.cap, ~0u,
	                              &policy, &server),
	                 0);
	assert_int_equal(child_create(broker, "other", f->slow_pd.cap, ~0u,
	                              &policy, &other),
	                 0);
	assert_int_equal(parent_session_sigh(child_parent_cap(client),
	                                     f->session_sig),
	                 0);
	assert_int_equal(parent_session(child_parent_cap(client), "Late",
	                                "ram_quota=4K", &id),
	                 0);
	child_destroy(other);
	assert_int_equal(parent_session_cap(child_parent_cap(client), id, &cap),
	                 PARENT_ERR_PENDING);
	assert_int_equal(parent_announce(child_parent_cap(server), "Late",
	                                 f->server_root.cap),
	                 0);
	while ((status = parent_session_cap(child_parent_cap(client), id,
	                                    &cap)) == PARENT_ERR_PENDING)
		assert_int_equal(signal_receiver_wait(f->rx, &sig, GUARD_MS),
		                 0);
	assert_int_equal(status, 0);
	assert_int_equal(f->failure_count, 0);
	assert_int_equal(parent_close(child_parent_cap(client), id), 0);
	kcap_close(cap);
	child_destroy(client);
	child_destroy(server);
	child_broker_destroy(broker);
	service_registry_destroy(&registry);
}

static void test_upgrade_raises_the_pd_session(void **state)
{
	struct fixture *f = *state;
	struct child_policy policy = {
		.route = route,
		.exited = exited,
		.session_failed = session_failed,
		.resource_requested = resource_requested,
		.ctx = f,
	};
	child_t *grown;
	kcap_t pd;
	uint32_t pd_id;

	assert_int_equal(f->host.host.session(f->host.host.ctx, "PD",
	                                      "label=\"grown\", ram_quota=4K",
	                                      TIMEOUT_MS, &pd_id, &pd),
	                 0);
	assert_int_equal(child_create(f->broker, "grown", pd, pd_id, &policy,
	                              &grown),
	                 0);
	assert_int_equal(child_upgrade(grown, 8192, 5), 0);
	assert_int_equal(f->host.upgrades, 1);
	assert_int_equal(f->host_root.upgrades, 1);
	/* nothing to move, nothing asked */
	assert_int_equal(child_upgrade(grown, 0, 0), 0);
	assert_int_equal(f->host.upgrades, 1);
	child_destroy(grown);
	assert_int_equal(f->host.closed, 1);
	kcap_close(pd);
}

static void test_upgrade_needs_a_pd_of_the_host(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(child_upgrade(f->client, 8192, 5), KERR_INVALID);
	assert_int_equal(f->host.upgrades, 0);
}

static void test_own_cpu_session_is_bound_to_the_child_pd(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	assert_int_equal(open_session(f, "CPU", "ram_quota=4K", &id, &cap), 0);
	assert_true(kcap_same_object(f->cpu_root.cpus[0].bound,
	                             f->client_pd.cap));
	/* a labelled CPU session is for something else: not bound */
	assert_int_equal(open_session(f, "CPU", "label=\"other\"", &id, &cap),
	                 0);
	assert_false(kcap_valid(f->cpu_root.cpus[1].bound));
}

static void test_cpu_session_that_cannot_be_bound_fails(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	f->cpu_root.refuse_bind = true;
	assert_int_equal(open_session(f, "CPU", "ram_quota=4K", &id, &cap),
	                 PARENT_ERR_DENIED);
	child_broker_drain(f->broker);
	assert_int_equal(f->cpu_root.closed, 1);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_non_null(strstr(f->failures[0].reason,
	                       "binding the CPU session"));
}

static void test_flood_of_requests_is_bounded(void **state)
{
	struct fixture *f = *state;
	uint32_t id;

	assert_int_equal(parent_announce(child_parent_cap(f->slow), "Slow",
	                                 f->silent_cap),
	                 0);
	for (unsigned i = 0; i < CHILD_PENDING_MAX; i++)
		assert_int_equal(parent_session(client_parent(f), "Slow", "",
		                                &id),
		                 0);
	assert_int_equal(parent_session(client_parent(f), "Slow", "", &id),
	                 PARENT_ERR_DENIED);
	assert_string_equal(f->failures[0].reason,
	                    "too many pending session requests");
	/* requests that need no worker are not held up by the pending ones */
	assert_int_equal(parent_session(client_parent(f), "PD", "", &id), 0);
	child_broker_drain(f->broker);
	/* once they have failed, there is room again */
	assert_int_equal(parent_session(client_parent(f), "Slow", "", &id), 0);
}

static void test_parent_host_over_a_parent_object(void **state)
{
	struct fixture *f = *state;
	struct child_parent_host h;
	uint32_t id;
	kcap_t cap;

	/* the client as a parent itself: its own PD, its sessions */
	assert_int_equal(child_parent_host_init(&h, client_parent(f)), 0);
	assert_true(kcap_same_object(h.host.pd, f->client_pd.cap));
	announce_echo(f);
	assert_int_equal(h.host.session(h.host.ctx, "Echo", "label=\"g\"",
	                                GUARD_MS, &id, &cap),
	                 0);
	assert_int_equal(log_write(cap, "from a grandchild"), 0);
	h.host.close(h.host.ctx, id);
	child_broker_drain(f->broker);
	assert_int_equal(f->server_root.closed, 1);
	kcap_close(cap);
	assert_int_equal(parent_announce(child_parent_cap(f->slow), "Slow",
	                                 f->silent_cap),
	                 0);
	assert_int_equal(h.host.session(h.host.ctx, "Slow", "", GUARD_MS, &id,
	                                &cap),
	                 PARENT_ERR_UNRESPONSIVE);
	assert_int_equal(h.host.session(h.host.ctx, "Nope", "", GUARD_MS, &id,
	                                &cap),
	                 PARENT_ERR_DENIED);
	child_parent_host_fini(&h);
}

/* --- re-routing open sessions (child_broker_reroute) -------------------- */

static unsigned reroute(struct fixture *f)
{
	unsigned moved = 99;

	assert_int_equal(child_broker_reroute(f->broker, &moved), 0);
	child_broker_drain(f->broker);
	return moved;
}

/* Opens Echo "out" at "server" with 16K and 3 caps. */
static void open_echo(struct fixture *f, uint32_t *id, kcap_t *cap)
{
	announce_echo(f);
	assert_int_equal(open_session(f, "Echo",
	                              "label=\"out\", ram_quota=16K, "
	                              "cap_quota=3",
	                              id, cap),
	                 0);
	assert_int_equal(ram_of(&f->server_pd), 16 << 10);
}

/* The session at "server" was closed, its quota is back at the client, the
 * client was signalled and its record fails; `why` is in the reason. */
static void assert_moved_away(struct fixture *f, uint32_t id, kcap_t cap,
                              const char *why)
{
	signal_t sig;
	kcap_t ignored = KCAP_INVALID;

	assert_int_equal(f->server_root.closed, 1);
	assert_int_equal(ram_of(&f->server_pd), 0);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(caps_of(&f->client_pd), 20);
	assert_int_equal(signal_receiver_wait(f->rx, &sig, GUARD_MS), 0);
	assert_int_equal(f->failure_count, 1);
	assert_string_equal(f->failures[0].service, "Echo");
	assert_int_equal(f->failures[0].error, PARENT_ERR_DENIED);
	assert_non_null(strstr(f->failures[0].reason, why));
	assert_int_equal(log_write(cap, "late"), KERR_REVOKED);
	assert_int_equal(parent_session_cap(client_parent(f), id, &ignored),
	                 PARENT_ERR_ENDED);
	assert_int_equal(parent_close(client_parent(f), id),
	                 PARENT_ERR_UNKNOWN);
}

static void test_reroute_moves_session_to_new_server(void **state)
{
	struct fixture *f = *state;
	uint32_t id, again;
	kcap_t cap, cap2;

	open_echo(f, &id, &cap);
	assert_int_equal(parent_announce(child_parent_cap(f->slow), "Echo",
	                                 f->other_root.cap),
	                 0);
	f->echo_to = "slow";
	assert_int_equal(reroute(f), 1);
	assert_moved_away(f, id, cap, "its route changed: now to \"slow\"");
	/* the client opens it anew: the request follows the new route */
	assert_int_equal(open_session(f, "Echo",
	                              "label=\"out\", ram_quota=16K, "
	                              "cap_quota=3",
	                              &again, &cap2),
	                 0);
	assert_int_equal(f->other_root.opened, 1);
	assert_non_null(strstr(f->other_root.last_args, "client -> out"));
	assert_int_equal(ram_of(&f->slow_pd), 16 << 10);
	assert_int_equal(log_write(cap2, "at the new server"), 0);
	/* asked again, nothing moves */
	assert_int_equal(reroute(f), 0);
	assert_int_equal(f->other_root.closed, 0);
	kcap_close(cap);
	kcap_close(cap2);
}

static void test_reroute_on_changed_arguments(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	f->echo_from = "boot";
	open_echo(f, &id, &cap);
	assert_non_null(strstr(f->server_root.last_args, "rom_from=\"boot\""));
	assert_int_equal(reroute(f), 0); /* same arguments: stays */
	f->echo_from = "depot";
	assert_int_equal(reroute(f), 1);
	assert_moved_away(f, id, cap, "now with other session arguments");
	kcap_close(cap);
}

static void test_reroute_to_parent_and_to_denial(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	kcap_t cap;

	open_echo(f, &id, &cap);
	f->echo_to = "parent";
	assert_int_equal(reroute(f), 1);
	assert_moved_away(f, id, cap, "now to the parent");
	kcap_close(cap);

	/* from the parent to nowhere: the parent's session is closed too */
	f->failure_count = 0;
	assert_int_equal(open_session(f, "Echo", "ram_quota=4K", &id, &cap), 0);
	assert_int_equal(f->host.opened, 1);
	f->echo_to = "none";
	assert_int_equal(reroute(f), 1);
	assert_int_equal(f->host.closed, 1);
	assert_int_equal(ram_of(&f->client_pd), 64 << 10);
	assert_int_equal(ram_of(&f->host_pd), 1 << 20);
	assert_non_null(strstr(f->failures[0].reason,
	                       "now denied (Echo is off)"));
	kcap_close(cap);
}

static void test_reroute_leaves_unchanged_sessions_alone(void **state)
{
	struct fixture *f = *state;
	uint32_t id, pd_id, local_id;
	kcap_t cap, pd, local;

	open_echo(f, &id, &cap);
	assert_int_equal(open_session(f, "PD", "", &pd_id, &pd), 0);
	assert_int_equal(open_session(f, "Local", "label=\"config\"", &local_id,
	                              &local),
	                 0);
	f->echo_to = "server"; /* the same place, said again */
	assert_int_equal(reroute(f), 0);
	assert_int_equal(f->failure_count, 0);
	assert_int_equal(f->server_root.closed, 0);
	assert_int_equal(f->local_root.closed, 0);
	assert_int_equal(ram_of(&f->server_pd), 16 << 10);
	assert_int_equal(log_write(cap, "still here"), 0);
	assert_int_equal(log_write(local, "still here"), 0);
	assert_int_equal(parent_session_cap(client_parent(f), id, &cap), 0);
	kcap_close(cap);
	kcap_close(pd);
	kcap_close(local);
}

/* --- what a parent can tell (inspect.c) ---------------------------------- */

static unsigned changes(struct fixture *f)
{
	return __atomic_load_n(&f->changes, __ATOMIC_SEQ_CST);
}

static void test_requested_and_served_sessions_are_listed(void **state)
{
	struct fixture *f = *state;
	struct child_session_info info[8];
	uint32_t echo, up, local, pd, late;
	kcap_t cap, up_cap, local_cap, pd_cap;
	unsigned before;

	open_echo(f, &echo, &cap);
	assert_int_equal(open_session(f, "Up", "label=\"u\"", &up, &up_cap), 0);
	assert_int_equal(open_session(f, "Local", "label=\"config\"", &local,
	                              &local_cap),
	                 0);
	assert_int_equal(open_session(f, "PD", "", &pd, &pd_cap), 0);
	before = changes(f);
	assert_int_equal(parent_session(client_parent(f), "Late", "label=\"x\"",
	                                &late),
	                 0);
	assert_true(changes(f) > before); /* filed: a change */

	assert_int_equal(child_requested_sessions(f->client, info, 8), 4);
	assert_string_equal(info[0].service, "Echo");
	assert_string_equal(info[0].label, "client -> out");
	assert_int_equal(info[0].kind, CHILD_ROUTE_CHILD);
	assert_string_equal(info[0].server, "server");
	assert_string_equal(info[0].client, "client");
	assert_int_equal(info[0].state, CHILD_SESSION_READY);
	assert_int_equal(info[1].kind, CHILD_ROUTE_PARENT);
	assert_string_equal(info[1].server, "");
	assert_int_equal(info[1].state, CHILD_SESSION_READY);
	assert_int_equal(info[2].kind, CHILD_ROUTE_LOCAL);
	assert_string_equal(info[2].label, "client -> config");
	/* the PD of its environment is not listed; Late waits for "server" */
	assert_string_equal(info[3].service, "Late");
	assert_int_equal(info[3].state, CHILD_SESSION_PENDING);
	assert_string_equal(info[3].server, "server");

	/* at the server: the ready Echo and the pending Late */
	assert_int_equal(child_served_sessions(f->server, info, 8), 2);
	assert_string_equal(info[0].client, "client");
	assert_string_equal(info[0].service, "Echo");
	assert_int_equal(info[0].state, CHILD_SESSION_READY);
	assert_int_equal(info[1].state, CHILD_SESSION_PENDING);
	assert_int_equal(child_served_sessions(f->slow, info, 8), 0);

	/* fewer slots than sessions: the count says how many there are */
	memset(info, 0x5a, sizeof(info));
	assert_int_equal(child_requested_sessions(f->client, info, 1), 4);
	assert_string_equal(info[0].service, "Echo");
	assert_int_equal(info[1].service[0], 0x5a); /* untouched */

	before = changes(f);
	assert_int_equal(parent_close(client_parent(f), up), 0);
	assert_true(changes(f) > before);
	assert_int_equal(child_requested_sessions(f->client, info, 8), 3);
	assert_int_equal(await_session(f, late, &cap), PARENT_ERR_UNRESPONSIVE);
	kcap_close(cap);
	kcap_close(up_cap);
	kcap_close(local_cap);
	kcap_close(pd_cap);
}

static void test_failed_and_ended_sessions_are_told_apart(void **state)
{
	struct fixture *f = *state;
	struct child_session_info info[4];
	uint32_t id, big;
	kcap_t cap;
	signal_t sig;
	unsigned before;

	open_echo(f, &id, &cap);
	assert_int_equal(parent_session(client_parent(f), "Echo",
	                                "label=\"x\", ram_quota=1M", &big),
	                 0);
	while (child_requested_sessions(f->client, info, 4) == 2 &&
	       info[1].state == CHILD_SESSION_PENDING)
		assert_int_equal(signal_receiver_wait(f->rx, &sig, GUARD_MS),
		                 0);
	assert_int_equal(info[1].state, CHILD_SESSION_DENIED);
	/* a failed session is no longer at its server */
	assert_int_equal(child_served_sessions(f->server, info, 4), 1);

	before = changes(f);
	child_destroy(f->server);
	f->server = NULL;
	assert_true(changes(f) > before);
	assert_int_equal(child_requested_sessions(f->client, info, 4), 2);
	assert_int_equal(info[0].state, CHILD_SESSION_CLOSED);
	assert_int_equal(info[1].state, CHILD_SESSION_DENIED);

	/* once the client took the answers, they are gone; an ended one
	 * says so, unlike a refused one */
	assert_int_equal(parent_session_cap(client_parent(f), id, &cap),
	                 PARENT_ERR_ENDED);
	assert_int_equal(parent_session_cap(client_parent(f), big, &cap),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(child_requested_sessions(f->client, info, 4), 0);
	kcap_close(cap);
}

static void test_rerouted_session_is_closed(void **state)
{
	struct fixture *f = *state;
	struct child_session_info info[2];
	uint32_t id;
	kcap_t cap;

	open_echo(f, &id, &cap);
	f->echo_to = "none";
	assert_int_equal(reroute(f), 1);
	assert_int_equal(child_requested_sessions(f->client, info, 2), 1);
	assert_int_equal(info[0].state, CHILD_SESSION_CLOSED);
	assert_int_equal(child_served_sessions(f->server, info, 2), 0);
	kcap_close(cap);
}

static void test_child_quota_is_its_pd_account(void **state)
{
	struct fixture *f = *state;
	struct child_quota q;

	assert_int_equal(child_quota(f->client, &q), 0);
	assert_int_equal(q.ram_quota, 64 << 10);
	assert_int_equal(q.caps_quota, 20);
	assert_int_equal(q.ram_used, 0);
	assert_int_equal(q.caps_used, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_session_at_child_moves_quota_and_back),
		T(test_parent_arguments_replace_the_clients),
		cmocka_unit_test(test_route_arguments_are_bounded),
		T(test_spawn_asks_for_the_binary_with_rom_args),
		T(test_empty_label_is_the_child_name),
		T(test_unresponsive_server_blocks_nobody),
		T(test_denied_without_route),
		T(test_malformed_requests_are_invalid),
		T(test_more_ram_than_the_client_has),
		T(test_request_waits_for_announcement),
		T(test_no_announcement_in_time),
		T(test_parent_service_is_forwarded),
		T(test_local_service),
		T(test_upgrade_moves_quota_and_tells_server),
		T(test_close_while_pending),
		T(test_own_pd_is_the_environment_pd),
		T(test_session_now_is_at_once_only_when_ready),
		T(test_announce_twice_and_withdrawn_with_child),
		T(test_exit_is_reported_once),
		T(test_heartbeat_answered_and_skipped),
		T(test_resource_request_waits_for_its_answer),
		T(test_destroy_closes_open_sessions),
		T(test_destroyed_server_ends_client_sessions),
		T(test_destroyed_other_child_leaves_sessions_alone),
		T(test_destroy_waits_only_for_its_own_workers),
		T(test_upgrade_raises_the_pd_session),
		T(test_upgrade_needs_a_pd_of_the_host),
		T(test_parent_host_over_a_parent_object),
		T(test_flood_of_requests_is_bounded),
		T(test_own_cpu_session_is_bound_to_the_child_pd),
		T(test_cpu_session_that_cannot_be_bound_fails),
		T(test_reroute_moves_session_to_new_server),
		T(test_reroute_on_changed_arguments),
		T(test_reroute_to_parent_and_to_denial),
		T(test_reroute_leaves_unchanged_sessions_alone),
		T(test_requested_and_served_sessions_are_listed),
		T(test_failed_and_ended_sessions_are_told_apart),
		T(test_rerouted_session_is_closed),
		T(test_child_quota_is_its_pd_account),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
