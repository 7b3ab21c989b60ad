/*
 * Tests of the root component (runtime/root_component.h), served on a real
 * entrypoint in this process: the test's main thread is the client (root
 * and session calls go over RPC to the entrypoint thread), except where a
 * test calls the decode and invoke functions directly, as core's parent
 * for init does. A test server keeps notes per session, allocated through
 * the session's quota guard, so what the client donated shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>

#include <runtime/entrypoint.h>
#include <runtime/root_component.h>

#include "log_rpc.h"
#include "notes_rpc.h"
#include "root_rpc.h"

#define COST 2048u

struct note {
	struct note *prev;
	size_t size;
};

struct notes_session {
	int opened; /* not first: the record sits inside */
	struct root_session base;
	struct note *last;
};

struct server {
	entrypoint_t *ep;
	struct root_component root;
	int created, destroyed, upgrades;
	uint64_t upgraded_ram, downgraded_ram, downgraded_caps;
	bool refuse_upgrade, refuse_downgrade;
};

static struct notes_session *notes_of(struct root_session *s)
{
	return container_of(s, struct notes_session, base);
}

static int op_keep(rpc_object_t *self, uint64_t bytes)
{
	struct root_session *s = root_session_of(self);
	struct notes_session *n = notes_of(s);
	void *block;
	if (bytes < sizeof(struct note) ||
	    allocator_alloc(root_session_allocator(s), (size_t)bytes, &block))
		return NOTES_ERR_REFUSED;
	struct note *note = block;
	note->size = (size_t)bytes;
	note->prev = n->last;
	n->last = note;
	return 0;
}

static void drop_last(struct notes_session *n)
{
	struct note *note = n->last;
	n->last = note->prev;
	allocator_free(root_session_allocator(&n->base), note, note->size);
}

static int op_drop(rpc_object_t *self)
{
	struct notes_session *n = notes_of(root_session_of(self));
	if (!n->last)
		return NOTES_ERR_EMPTY;
	drop_last(n);
	return 0;
}

static int op_label(rpc_object_t *self, char label[NOTES_LABEL_LABEL_MAX + 1])
{
	strncpy(label, root_session_of(self)->label, NOTES_LABEL_LABEL_MAX);
	label[NOTES_LABEL_LABEL_MAX] = '\0';
	return 0;
}

static const struct notes_ops notes_ops = {
	.keep = op_keep,
	.drop = op_drop,
	.label = op_label,
};

static void drop_all(struct notes_session *n)
{
	while (n->last)
		drop_last(n);
}

/* create: "fail=yes" refuses; "notes=64" keeps a note of 16 bytes and
 * one of 64, and gives back the first when the second does not fit. */
static int test_create(struct root_component *root, struct root_session *s,
                       const struct session_args *args, const char *raw_args,
                       const char **why)
{
	(void)args;
	struct server *srv = root_component_server(root);
	if (strstr(raw_args, "fail=yes")) {
		*why = "the test server refuses";
		return ROOT_ERR_DENIED;
	}
	notes_of(s)->opened = 1;
	if (strstr(raw_args, "notes=64") &&
	    (op_keep(&s->obj, 16) != 0 || op_keep(&s->obj, 64) != 0)) {
		drop_all(notes_of(s));
		*why = "the first notes do not fit";
		return ROOT_ERR_OUT_OF_RAM;
	}
	srv->created++;
	return 0;
}

static int test_upgrade(struct root_component *root, struct root_session *s,
                        uint64_t ram, uint64_t caps)
{
	(void)s;
	(void)caps;
	struct server *srv = root_component_server(root);
	if (srv->refuse_upgrade)
		return ROOT_ERR_DENIED;
	srv->upgrades++;
	srv->upgraded_ram += ram;
	return 0;
}

static int test_downgrade(struct root_component *root, struct root_session *s,
                          uint64_t ram, uint64_t caps)
{
	(void)s;
	struct server *srv = root_component_server(root);
	if (srv->refuse_downgrade)
		return ROOT_ERR_OUT_OF_RAM;
	srv->downgraded_ram += ram;
	srv->downgraded_caps += caps;
	return 0;
}

static void test_destroy(struct root_component *root, struct root_session *s)
{
	struct server *srv = root_component_server(root);
	drop_all(notes_of(s));
	assert_int_equal(quota_guard_consumed(&s->guard), 0);
	srv->destroyed++;
}

static const struct root_component_ops test_ops = {
	.create = test_create,
	.upgrade = test_upgrade,
	.downgrade = test_downgrade,
	.destroy = test_destroy,
};

static struct root_component_config config_for(struct server *srv)
{
	return (struct root_component_config){
		.name = "Notes",
		.iface = &notes_rpc,
		.session_ops = &notes_ops,
		ROOT_SESSION_LAYOUT(struct notes_session, base),
		.ram_cost = COST,
		.cap_cost = 2,
		.ops = &test_ops,
		.server = srv,
	};
}

static int setup(void **state)
{
	static struct server srv;
	memset(&srv, 0, sizeof(srv));
	if (entrypoint_create(&srv.ep, "root_test") != 0)
		return -1;
	struct root_component_config config = config_for(&srv);
	if (root_component_init(&srv.root, srv.ep, &config) != 0)
		return -1;
	*state = &srv;
	return 0;
}

static int teardown(void **state)
{
	struct server *srv = *state;
	root_component_dissolve(&srv->root);
	entrypoint_destroy(srv->ep);
	return 0;
}

static int open_session(struct server *srv, const char *args, kcap_t *cap)
{
	return root_session(srv->root.cap, args, cap);
}

/* --- decode ------------------------------------------------------------ */

static void test_session_is_served(void **state)
{
	struct server *srv = *state;
	kcap_t cap = KCAP_INVALID;
	char label[NOTES_LABEL_LABEL_MAX + 1];
	assert_int_equal(open_session(srv,
	                              "label=\"init -> app\", "
	                              "ram_quota=4K, cap_quota=2",
	                              &cap),
	                 0);
	assert_int_equal(srv->created, 1);
	assert_int_equal(notes_label(cap, label), 0);
	assert_string_equal(label, "init -> app");
	struct root_session *s = root_component_lookup(&srv->root, cap);
	assert_non_null(s);
	assert_int_equal(notes_of(s)->opened, 1);
	assert_int_equal(quota_guard_limit(&s->guard), 4096 - COST);
	assert_int_equal(s->ram_quota, 4096);
	assert_int_equal(s->cap_quota, 2);
	kcap_close(cap);
}

static void test_malformed_arguments_are_invalid(void **state)
{
	struct server *srv = *state;
	const char *bad[] = {
		"label=\"open", "ram_quota=lots",
		"cap_quota=-1", "=3",
		"label=\"x\",", "ram_quota=99999999999999999999",
		",,,",          "\x01\x02=\x7f",
		"label",        "ram_quota=4K cap_quota=2",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		kcap_t cap = KCAP_INVALID;
		const char *why = NULL;
		assert_int_equal(open_session(srv, bad[i], &cap),
		                 ROOT_ERR_INVALID);
		assert_int_equal(root_component_open(&srv->root, bad[i], &cap,
		                                     &why),
		                 ROOT_ERR_INVALID);
		assert_non_null(why);
		assert_false(kcap_valid(cap));
	}
	assert_int_equal(srv->created, 0);
}

static void test_overlong_label_is_invalid(void **state)
{
	struct server *srv = *state;
	char args[ROOT_SESSION_ARGS_MAX + 1];
	kcap_t cap = KCAP_INVALID;
	const char *why = NULL;
	/* a label longer than any session keeps, within the root's bound */
	memset(args, 'x', sizeof(args));
	memcpy(args, "ram_quota=8K, label=\"", 21);
	args[sizeof(args) - 2] = '"';
	args[sizeof(args) - 1] = '\0';
	assert_int_equal(open_session(srv, args, &cap), ROOT_ERR_INVALID);
	assert_int_equal(root_component_open(&srv->root, args, &cap, &why),
	                 ROOT_ERR_INVALID);
	assert_string_equal(why, "the label is too long");
	/* past the root's bound the client stub refuses to send it at all */
	char longer[ROOT_SESSION_ARGS_MAX + 2];
	memset(longer, 'y', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(open_session(srv, longer, &cap), RPC_ERR_BAD_ARGUMENT);
	assert_int_equal(srv->created, 0);
}

static void test_missing_or_low_quota(void **state)
{
	struct server *srv = *state;
	kcap_t cap = KCAP_INVALID;
	const char *why = NULL;
	static const struct {
		const char *args;
		int err;
		const char *why;
	} low[] = {
		{ "", ROOT_ERR_OUT_OF_RAM,
		  "ram_quota of 0 bytes does not cover "
		  "a Notes session (2048 at least)" },
		{ "ram_quota=2047, cap_quota=5", ROOT_ERR_OUT_OF_RAM,
		  "ram_quota "
		  "of 2047 bytes does not cover a Notes session (2048 at least)" },
		{ "ram_quota=2K", ROOT_ERR_OUT_OF_CAPS,
		  "cap_quota of 0 does not "
		  "cover a Notes session (2 at least)" },
		{ "ram_quota=2K, cap_quota=1", ROOT_ERR_OUT_OF_CAPS,
		  "cap_quota "
		  "of 1 does not cover a Notes session (2 at least)" },
	};
	for (size_t i = 0; i < sizeof(low) / sizeof(*low); i++) {
		assert_int_equal(open_session(srv, low[i].args, &cap),
		                 low[i].err);
		assert_int_equal(root_component_open(&srv->root, low[i].args,
		                                     &cap, &why),
		                 low[i].err);
		assert_string_equal(why, low[i].why);
	}
	assert_int_equal(srv->created, 0);
	/* exactly the cost is enough, and leaves the guard nothing */
	assert_int_equal(open_session(srv, "ram_quota=2K, cap_quota=2", &cap),
	                 0);
	assert_int_equal(notes_keep(cap, 64), NOTES_ERR_REFUSED);
	kcap_close(cap);
}

/* --- create failures ---------------------------------------------------- */

static void test_create_failure_leaves_nothing(void **state)
{
	struct server *srv = *state;
	kcap_t cap = KCAP_INVALID;
	const char *why = NULL;
	assert_int_equal(open_session(srv,
	                              "ram_quota=4K, cap_quota=2, "
	                              "fail=yes",
	                              &cap),
	                 ROOT_ERR_DENIED);
	assert_int_equal(root_component_open(&srv->root,
	                                     "ram_quota=4K, "
	                                     "cap_quota=2, fail=yes",
	                                     &cap, &why),
	                 ROOT_ERR_DENIED);
	assert_string_equal(why, "the test server refuses");
	/* notes past the donation: create gives back what it took */
	assert_int_equal(root_component_open(&srv->root,
	                                     "ram_quota=2100, "
	                                     "cap_quota=2, notes=64",
	                                     &cap, &why),
	                 ROOT_ERR_OUT_OF_RAM);
	assert_string_equal(why, "the first notes do not fit");
	assert_null(root_component_first(&srv->root));
	assert_int_equal(srv->destroyed, 0);
	/* the record of each is freed: ASan's leak check would say so */
}

static void test_serving_failure_destroys(void **state)
{
	(void)state;
	struct server srv = { 0 };
	struct root_component_config config = config_for(&srv);
	config.session_ops = NULL; /* the entrypoint refuses to serve it */
	assert_int_equal(entrypoint_create(&srv.ep, "root_test2"), 0);
	assert_int_equal(root_component_init(&srv.root, srv.ep, &config), 0);
	kcap_t cap = KCAP_INVALID;
	assert_int_equal(open_session(&srv,
	                              "ram_quota=4K, cap_quota=2, "
	                              "notes=64",
	                              &cap),
	                 ROOT_ERR_DENIED);
	assert_int_equal(srv.created, 1);
	assert_int_equal(srv.destroyed, 1); /* the note went back */
	root_component_dissolve(&srv.root);
	entrypoint_destroy(srv.ep);
}

static void test_bad_configs_are_refused(void **state)
{
	struct server *srv = *state;
	struct root_component rc;
	struct root_component_config c = config_for(srv);
	c.ram_cost = sizeof(struct notes_session) - 1;
	assert_int_equal(root_component_init(&rc, srv->ep, &c), KERR_INVALID);
	c = config_for(srv);
	c.session_offset = c.session_size;
	assert_int_equal(root_component_init(&rc, srv->ep, &c), KERR_INVALID);
	c = config_for(srv);
	c.ops = NULL;
	assert_int_equal(root_component_init(&rc, srv->ep, &c), KERR_INVALID);
	root_component_dissolve(&rc); /* harmless after a refused init */
}

static void test_session_may_be_the_record_alone(void **state)
{
	(void)state;
	static const struct root_component_ops no_callbacks = {
		.create = NULL
	};
	struct server srv = { 0 };
	struct root_component_config config = config_for(&srv);
	config.ops = &no_callbacks;
	config.session_size = sizeof(struct root_session);
	config.session_offset = 0;
	assert_int_equal(entrypoint_create(&srv.ep, "root_test3"), 0);
	assert_int_equal(root_component_init(&srv.root, srv.ep, &config), 0);
	kcap_t cap = KCAP_INVALID;
	char label[NOTES_LABEL_LABEL_MAX + 1];
	assert_int_equal(open_session(&srv,
	                              "label=\"bare\", ram_quota=4K, "
	                              "cap_quota=2",
	                              &cap),
	                 0);
	assert_int_equal(notes_label(cap, label), 0);
	assert_string_equal(label, "bare");
	assert_int_equal(root_close(srv.root.cap, cap), 0);
	assert_int_equal(notes_label(cap, label), KERR_REVOKED);
	kcap_close(cap);
	root_component_dissolve(&srv.root);
	entrypoint_destroy(srv.ep);
}

/* --- the quota guard ---------------------------------------------------- */

static void test_guard_charges_the_client(void **state)
{
	struct server *srv = *state;
	kcap_t cap = KCAP_INVALID;
	/* 200 bytes beyond the session cost */
	assert_int_equal(open_session(srv, "ram_quota=2248, cap_quota=2", &cap),
	                 0);
	assert_int_equal(notes_keep(cap, 150), 0);
	assert_int_equal(notes_keep(cap, 64), NOTES_ERR_REFUSED);
	assert_int_equal(notes_keep(cap, 50), 0);
	assert_int_equal(notes_keep(cap, 16), NOTES_ERR_REFUSED);
	struct root_session *s = root_component_lookup(&srv->root, cap);
	assert_int_equal(quota_guard_consumed(&s->guard), 200);

	/* the client pays more: the guard allows more */
	assert_int_equal(root_upgrade(srv->root.cap, cap, "ram_quota=100"), 0);
	assert_int_equal(srv->upgrades, 1);
	assert_int_equal(srv->upgraded_ram, 100);
	assert_int_equal(s->ram_quota, 2348);
	assert_int_equal(notes_keep(cap, 64), 0);
	assert_int_equal(notes_keep(cap, 64), NOTES_ERR_REFUSED);

	/* freeing gives room again */
	assert_int_equal(notes_drop(cap), 0);
	assert_int_equal(notes_keep(cap, 64), 0);
	assert_int_equal(root_close(srv->root.cap, cap), 0);
	assert_int_equal(srv->destroyed, 1);
	kcap_close(cap);
}

static void test_refused_upgrade_changes_nothing(void **state)
{
	struct server *srv = *state;
	kcap_t cap = KCAP_INVALID;
	assert_int_equal(open_session(srv, "ram_quota=2K, cap_quota=2", &cap),
	                 0);
	struct root_session *s = root_component_lookup(&srv->root, cap);
	srv->refuse_upgrade = true;
	assert_int_equal(root_upgrade(srv->root.cap, cap, "ram_quota=1K"),
	                 ROOT_ERR_DENIED);
	assert_int_equal(quota_guard_limit(&s->guard), 0);
	assert_int_equal(s->ram_quota, 2048);
	srv->refuse_upgrade = false;
	assert_int_equal(root_upgrade(srv->root.cap, cap, "ram_quota=lots"),
	                 ROOT_ERR_INVALID);
	assert_int_equal(root_upgrade(srv->root.cap, cap,
	                              "ram_quota=0xffffffffffffffff"),
	                 ROOT_ERR_INVALID);
	assert_int_equal(quota_guard_limit(&s->guard), 0);
	assert_int_equal(srv->upgrades, 0);
	kcap_close(cap);
}

/* A downgrade (core's parent.downgrade for init) gives back only what
 * the guard has free of the donation beyond the session's cost, and only
 * when the service agrees; a refusal changes nothing. */
static void test_downgrade_takes_back_only_what_is_free(void **state)
{
	struct server *srv = *state;
	kcap_t cap = KCAP_INVALID;
	assert_int_equal(open_session(srv, "ram_quota=2248, cap_quota=5", &cap),
	                 0);
	struct root_session *s = root_component_lookup(&srv->root, cap);
	assert_int_equal(notes_keep(cap, 150), 0);

	/* 50 of the 200 are free */
	assert_int_equal(root_component_downgrade(&srv->root, cap,
	                                          "ram_quota=100"),
	                 ROOT_ERR_OUT_OF_RAM);
	assert_int_equal(s->ram_quota, 2248);
	assert_int_equal(quota_guard_limit(&s->guard), 200);
	assert_int_equal(root_component_downgrade(&srv->root, cap,
	                                          "ram_quota=50, cap_quota=3"),
	                 0);
	assert_int_equal(s->ram_quota, 2198);
	assert_int_equal(s->cap_quota, 2);
	assert_int_equal(quota_guard_limit(&s->guard), 150);
	assert_int_equal(srv->downgraded_ram, 50);
	assert_int_equal(srv->downgraded_caps, 3);
	assert_int_equal(notes_keep(cap, 16), NOTES_ERR_REFUSED);

	/* never below the session's cost; malformed; refused by the service */
	assert_int_equal(root_component_downgrade(&srv->root, cap,
	                                          "cap_quota=1"),
	                 ROOT_ERR_INVALID);
	assert_int_equal(root_component_downgrade(&srv->root, cap,
	                                          "ram_quota=x"),
	                 ROOT_ERR_INVALID);
	assert_int_equal(notes_drop(cap), 0);
	srv->refuse_downgrade = true;
	assert_int_equal(root_component_downgrade(&srv->root, cap,
	                                          "ram_quota=100"),
	                 ROOT_ERR_OUT_OF_RAM);
	assert_int_equal(s->ram_quota, 2198);
	assert_int_equal(quota_guard_limit(&s->guard), 150);
	srv->refuse_downgrade = false;
	assert_int_equal(root_component_downgrade(&srv->root, cap,
	                                          "ram_quota=150"),
	                 0);
	assert_int_equal(s->ram_quota, 2048);
	assert_int_equal(root_component_downgrade(&srv->root, KCAP_INVALID,
	                                          "ram_quota=1"),
	                 ROOT_ERR_UNKNOWN);
	assert_int_equal(root_close(srv->root.cap, cap), 0);
	kcap_close(cap);
}

/* --- lookup and close --------------------------------------------------- */

static int log_write_op(rpc_object_t *self, const char *line)
{
	(void)self;
	(void)line;
	return 0;
}

static void test_foreign_caps_are_unknown(void **state)
{
	struct server *srv = *state;
	kcap_t none = KCAP_INVALID;
	/* an object of another interface on the same entrypoint */
	static const struct log_ops log_ops = { .write = log_write_op };
	rpc_object_t log_obj = { 0 };
	kcap_t log_cap;
	assert_int_equal(log_manage(srv->ep, &log_obj, &log_ops, &log_cap), 0);
	assert_int_equal(root_close(srv->root.cap, log_cap), ROOT_ERR_UNKNOWN);
	assert_int_equal(root_upgrade(srv->root.cap, log_cap, "ram_quota=1K"),
	                 ROOT_ERR_UNKNOWN);
	assert_null(root_component_lookup(&srv->root, log_cap));
	/* no capability, and one of no object of ours */
	assert_int_equal(root_close(srv->root.cap, none), ROOT_ERR_UNKNOWN);
	kendpoint_t *other;
	kcap_t other_cap;
	assert_int_equal(kendpoint_create(&other, &other_cap), 0);
	assert_int_equal(root_close(srv->root.cap, other_cap),
	                 ROOT_ERR_UNKNOWN);
	/* the root itself is no session */
	assert_int_equal(root_close(srv->root.cap, srv->root.cap),
	                 ROOT_ERR_UNKNOWN);

	/* a session of a second root of the same interface is not ours,
	 * even while we have sessions of our own */
	struct server second = { .ep = srv->ep };
	struct root_component_config config = config_for(&second);
	kcap_t ours, theirs;
	assert_int_equal(open_session(srv, "ram_quota=4K, cap_quota=2", &ours),
	                 0);
	assert_int_equal(root_component_init(&second.root, srv->ep, &config),
	                 0);
	assert_int_equal(root_session(second.root.cap,
	                              "ram_quota=4K, "
	                              "cap_quota=2",
	                              &theirs),
	                 0);
	assert_int_equal(root_close(srv->root.cap, theirs), ROOT_ERR_UNKNOWN);
	assert_int_equal(root_close(second.root.cap, ours), ROOT_ERR_UNKNOWN);
	assert_int_equal(root_close(second.root.cap, theirs), 0);
	assert_int_equal(root_close(srv->root.cap, ours), 0);
	root_component_dissolve(&second.root);
	kcap_close(ours);

	kendpoint_dissolve(other);
	kcap_close(other_cap);
	entrypoint_dissolve(&log_obj);
	kcap_close(log_cap);
	kcap_close(theirs);
}

static void test_close_revokes_the_session(void **state)
{
	struct server *srv = *state;
	kcap_t cap = KCAP_INVALID;
	assert_int_equal(open_session(srv,
	                              "ram_quota=4K, cap_quota=2, "
	                              "notes=64",
	                              &cap),
	                 0);
	assert_int_equal(notes_keep(cap, 64), 0);
	assert_int_equal(root_close(srv->root.cap, cap), 0);
	assert_int_equal(srv->destroyed, 1);
	assert_int_equal(notes_keep(cap, 64), KERR_REVOKED);
	assert_int_equal(root_close(srv->root.cap, cap), ROOT_ERR_UNKNOWN);
	assert_null(root_component_first(&srv->root));
	kcap_close(cap);
}

static void test_dissolve_closes_every_session(void **state)
{
	struct server *srv = *state;
	kcap_t caps[3];
	for (int i = 0; i < 3; i++) {
		assert_int_equal(open_session(srv, "ram_quota=4K, cap_quota=2",
		                              &caps[i]),
		                 0);
		assert_int_equal(notes_keep(caps[i], 100), 0);
	}
	kcap_t root_cap;
	assert_int_equal(kcap_copy(srv->root.cap, &root_cap), 0);
	root_component_dissolve(&srv->root);
	assert_int_equal(srv->destroyed, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(notes_keep(caps[i], 16), KERR_REVOKED);
		kcap_close(caps[i]);
	}
	kcap_t cap;
	assert_int_equal(root_session(root_cap, "ram_quota=4K, cap_quota=2",
	                              &cap),
	                 KERR_REVOKED);
	kcap_close(root_cap);
	/* dissolving twice does nothing more */
	root_component_dissolve(&srv->root);
	assert_int_equal(srv->destroyed, 3);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_session_is_served),
		T(test_malformed_arguments_are_invalid),
		T(test_overlong_label_is_invalid),
		T(test_missing_or_low_quota),
		T(test_create_failure_leaves_nothing),
		T(test_serving_failure_destroys),
		T(test_bad_configs_are_refused),
		T(test_session_may_be_the_record_alone),
		T(test_guard_charges_the_client),
		T(test_refused_upgrade_changes_nothing),
		T(test_downgrade_takes_back_only_what_is_free),
		T(test_foreign_caps_are_unknown),
		T(test_close_revokes_the_session),
		T(test_dissolve_closes_every_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
