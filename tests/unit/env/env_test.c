/*
 * Tests of the component environment (runtime/env.h) against core's real
 * services and init's parent object, served in-process: the test thread
 * plays the component. env_start() itself needs a protection domain (the
 * CPU session accepts only the domain's threads) and is covered by the
 * scenarios; here the environment is assembled by hand from the same
 * parts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"
#include "init_parent.h"
#include "env_private.h"

#include "log_rpc.h"
#include "parent_rpc.h"
#include "pd_rpc.h"

#include <runtime/connection.h>
#include <runtime/root_component.h>
#include <runtime/signal.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WAIT_MS = 10000 };

struct env_fixture {
	struct fixture *f;
	struct pd_session *pd;
	struct init_parent parent;
	struct env_private priv;
	env_t env;
};

static int setup(void **state)
{
	struct env_fixture *e = calloc(1, sizeof(*e));
	e->f = fixture_create();
	assert_int_equal(pd_session_create(&e->f->services.pd, "init", 1u << 20,
	                                   100, &e->pd),
	                 0);
	assert_int_equal(init_parent_init(&e->parent, &e->f->services, e->pd),
	                 0);
	lock_init(&e->priv.session_lock);
	lock_init(&e->priv.log_lock);
	e->env.parent = e->parent.cap;
	e->env.priv = &e->priv;
	env_reconnect_init(&e->env);
	e->env.ep = e->f->ep;
	uint32_t id;
	assert_int_equal(env_session(&e->env, "PD", "", &e->env.pd, &id), 0);
	assert_int_equal(connection_open(&e->priv.log, &e->env, "LOG", ""), 0);
	e->env.log = e->priv.log.cap;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env_fixture *e = *state;
	kcap_close(e->env.pd);
	connection_close(&e->priv.log);
	init_parent_dissolve(&e->parent);
	fixture_destroy(e->f);
	free(e);
	return 0;
}

static void test_session_fills_in_default_quota(void **state)
{
	struct env_fixture *e = *state;
	uint64_t limit, used, cap_limit, cap_used;
	assert_int_equal(pd_quota(e->env.pd, &limit, &used, &cap_limit,
	                          &cap_used),
	                 0);
	/* the LOG session of setup() was paid with the default 8K and 4 caps */
	assert_int_equal(used, 8192);
	assert_int_equal(cap_used, 4);
	kcap_t log;
	uint32_t id;
	assert_int_equal(env_session(&e->env, "LOG",
	                             "ram_quota=16K, "
	                             "cap_quota=1",
	                             &log, &id),
	                 0);
	assert_int_equal(pd_quota(e->env.pd, &limit, &used, &cap_limit,
	                          &cap_used),
	                 0);
	assert_int_equal(used, 8192 + 16384);
	assert_int_equal(env_close(&e->env, id), 0);
	kcap_close(log);
}

static void assert_quota_used(struct env_fixture *e, uint64_t ram,
                              uint64_t caps)
{
	uint64_t limit, used, cap_limit, cap_used;
	assert_int_equal(pd_quota(e->env.pd, &limit, &used, &cap_limit,
	                          &cap_used),
	                 0);
	assert_int_equal(used, ram);
	assert_int_equal(cap_used, caps);
}

static void test_connection_donates_upgrades_and_returns_quota(void **state)
{
	struct env_fixture *e = *state;
	connection_t log;
	assert_int_equal(connection_open(&log, &e->env, "LOG",
	                                 "label=\"c\", ram_quota=12K"),
	                 0);
	assert_true(kcap_valid(log.cap));
	assert_int_equal(log.ram_quota, 12288);
	assert_int_equal(log.cap_quota, 4);        /* the default */
	assert_quota_used(e, 8192 + 12288, 4 + 4); /* setup's LOG + this */

	assert_int_equal(connection_upgrade(&log, 4096, 2), 0);
	assert_int_equal(log.ram_quota, 16384);
	assert_int_equal(log.cap_quota, 6);
	assert_quota_used(e, 8192 + 16384, 4 + 6);
	assert_int_equal(log_write(log.cap, "still served"), 0);

	connection_close(&log);
	assert_false(kcap_valid(log.cap));
	assert_quota_used(e, 8192, 4);
	connection_close(&log); /* twice is harmless */
}

static void test_connection_upgrade_past_quota_changes_nothing(void **state)
{
	struct env_fixture *e = *state;
	connection_t log;
	assert_int_equal(connection_open(&log, &e->env, "LOG", ""), 0);
	assert_int_equal(connection_upgrade(&log, 64u << 20, 0),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(connection_upgrade(&log, 0, 100000),
	                 PARENT_ERR_OUT_OF_CAPS);
	assert_int_equal(log.ram_quota, 8192);
	assert_int_equal(log.cap_quota, 4);
	assert_quota_used(e, 2 * 8192, 2 * 4);
	assert_int_equal(connection_upgrade(&log, UINT64_MAX, 0),
	                 PARENT_ERR_INVALID);
	connection_close(&log);
	assert_int_equal(connection_upgrade(&log, 4096, 0), PARENT_ERR_UNKNOWN);
}

static void test_connection_refused_stays_closed(void **state)
{
	struct env_fixture *e = *state;
	connection_t c;
	assert_int_equal(connection_open(&c, &e->env, "IRQ", ""),
	                 PARENT_ERR_DENIED);
	assert_false(kcap_valid(c.cap));
	assert_int_equal(c.ram_quota, 0);
	assert_int_equal(connection_open(&c, &e->env, "LOG", "ram_quota=lots"),
	                 PARENT_ERR_INVALID);
	assert_false(kcap_valid(c.cap));
	connection_close(&c);
	assert_quota_used(e, 8192, 4);
}

static int noop_write(rpc_object_t *self, const char *line)
{
	(void)self;
	(void)line;
	return 0;
}

static void test_serve_refused_announce_leaves_nothing_served(void **state)
{
	struct env_fixture *e = *state;
	static const struct log_ops ops = { .write = noop_write };
	static const struct root_component_ops root_ops = { .create = NULL };
	const struct root_component_config config = {
		.name = "LOG",
		.iface = &log_rpc,
		.session_ops = &ops,
		ROOT_SESSION_LAYOUT(struct root_session, obj),
		.ram_cost = 4096,
		.cap_cost = 1,
		.ops = &root_ops,
	};
	struct root_component root;
	/* core's parent for init refuses every announcement */
	assert_int_equal(env_serve(&e->env, &root, &config), PARENT_ERR_DENIED);
	assert_false(kcap_valid(root.cap));
	char text[512];
	fixture_read(e->f, "log/init.log", text, sizeof(text));
	assert_non_null(strstr(text,
	                       "[init] cannot serve LOG: no route for the "
	                       "session, or the server refused it\n"));
}

static void test_refused_sessions_say_why(void **state)
{
	struct env_fixture *e = *state;
	kcap_t cap = KCAP_INVALID;
	uint32_t id;
	assert_int_equal(env_session(&e->env, "IRQ", "", &cap, &id),
	                 PARENT_ERR_DENIED);
	assert_int_equal(env_session(&e->env, "LOG", "ram_quota=64M", &cap,
	                             &id),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(env_session(&e->env, "LOG", "label=\"open", &cap, &id),
	                 PARENT_ERR_INVALID);
	assert_false(kcap_valid(cap));
	assert_string_equal(
		runtime_strerror(PARENT_ERR_DENIED),
		"no route for the session, or the server refused it");
}

static void test_log_splits_lines(void **state)
{
	struct env_fixture *e = *state;
	assert_int_equal(env_log(&e->env, "one %d\ntwo\n\nthree", 1), 0);
	char text[256];
	fixture_read(e->f, "log/init.log", text, sizeof(text));
	assert_string_equal(text, "[init] one 1\n[init] two\n[init] \n"
	                          "[init] three\n");
}

static void test_rom_open_and_update(void **state)
{
	struct env_fixture *e = *state;
	fixture_write_config(e->f, "init.config", "first");
	env_rom_t rom;
	assert_int_equal(env_rom_open(&e->env, "config", &rom), 0);
	assert_int_equal(rom.size, 5);
	assert_memory_equal(rom.data, "first", 5);
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sigh;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sigh), 0);
	assert_int_equal(env_rom_sigh(&rom, sigh), 0);
	fixture_write_config(e->f, "init.config", "second version");
	signal_t sig;
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_int_equal(env_rom_update(&rom), 0);
	assert_int_equal(rom.size, 14);
	assert_memory_equal(rom.data, "second version", 14);
	assert_int_equal(rom.version, 2);
	env_rom_close(&rom);
	kcap_close(sigh);
	signal_receiver_destroy(rx);

	assert_int_equal(env_rom_open(&e->env, "absent", &rom), 0);
	assert_null(rom.data);
	env_rom_close(&rom);
	assert_int_equal(env_rom_open(&e->env, "bad\"name", &rom),
	                 KERR_INVALID);
}

static void test_heap_draws_on_the_pd_quota(void **state)
{
	struct env_fixture *e = *state;
	struct env_heap *heap;
	assert_int_equal(env_heap_create(&heap, e->env.pd), 0);
	struct allocator *a = env_heap_allocator(heap);
	void *blocks[64];
	int count = 0;
	int rc = ALLOC_OK;
	while (count < 64 &&
	       (rc = allocator_alloc(a, 100000, &blocks[count])) == ALLOC_OK) {
		memset(blocks[count], 0xab, 100000);
		count++;
	}
	assert_int_equal(rc, ALLOC_ERR_QUOTA_EXCEEDED);
	assert_true(count >= 8); /* most of the 1 MiB pool */
	assert_true(count < 11);
	allocator_free(a, blocks[0], 100000);
	assert_int_equal(allocator_alloc(a, 100000, &blocks[0]), ALLOC_OK);
	assert_int_equal(allocator_consumed(a), (size_t)count * 100000);
	assert_int_equal(allocator_alloc(a, 0, &blocks[0]), ALLOC_ERR_INVALID);
	env_heap_destroy(heap);
}

/* A yield request's heap step (env_heap_trim): every dataspace none of
 * whose blocks is in use goes back to the PD, the others stay, and the
 * heap goes on growing afterwards. */
static void test_heap_trim_gives_free_dataspaces_back(void **state)
{
	struct env_fixture *e = *state;
	uint64_t limit, used0, used, cap_limit, caps0, caps;
	struct env_heap *heap;
	void *blocks[6];
	assert_int_equal(pd_quota(e->env.pd, &limit, &used0, &cap_limit,
	                          &caps0),
	                 0);
	assert_int_equal(env_heap_create(&heap, e->env.pd), 0);
	struct allocator *a = env_heap_allocator(heap);
	for (int i = 0; i < 6; i++) /* each in a dataspace of its own */
		assert_int_equal(allocator_alloc(a, 100000, &blocks[i]),
		                 ALLOC_OK);
	assert_int_equal(env_heap_trim(heap), 0); /* all in use */
	for (int i = 1; i < 6; i++)
		allocator_free(a, blocks[i], 100000);
	assert_int_equal(pd_quota(e->env.pd, &limit, &used, &cap_limit, &caps),
	                 0);
	assert_true(used > used0 + 5 * 100000);
	/* a dataspace for 100000 bytes: the block and a page of slack,
	 * page-rounded (heap.c chunk_for) */
	const uint64_t chunk = (100000 + 2 * 4096 - 1) / 4096 * 4096;
	assert_int_equal(env_heap_trim(heap), 5 * chunk);
	assert_int_equal(pd_quota(e->env.pd, &limit, &used, &cap_limit, &caps),
	                 0);
	assert_int_equal(used, used0 + chunk); /* the block in use stays */
	assert_int_equal(caps, caps0 + 1);
	memset(blocks[0], 0xcd, 100000); /* still mapped */
	assert_int_equal(allocator_alloc(a, 100000, &blocks[1]), ALLOC_OK);
	memset(blocks[1], 0xcd, 100000);
	assert_int_equal(env_heap_trim(heap), 0);
	env_heap_destroy(heap);
}

/* A session larger than the component's quota: the component asks its
 * parent for more (env_resource_pay); core takes no requests, so it fails
 * at once with out_of_ram, as without asking. */
static void test_unpaid_session_fails_where_the_parent_takes_no_requests(
	void **state)
{
	struct env_fixture *e = *state;
	kcap_t cap = KCAP_INVALID;
	uint32_t id;
	assert_int_equal(env_session(&e->env, "LOG",
	                             "label=\"big\", ram_quota=4M", &cap, &id),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_false(kcap_valid(cap));
	assert_int_equal(env_resource_pay(&e->env, PARENT_ERR_DENIED, 1, 1),
	                 PARENT_ERR_DENIED);
}

/* --- sessions that end under the component -------------------------------- */

/* Takes all RAM the PD has left with a session; returns its id. */
static uint32_t hog_ram(struct env_fixture *e, kcap_t *cap)
{
	uint64_t limit, used, cap_limit, cap_used;
	char args[64];
	uint32_t id;
	assert_int_equal(pd_quota(e->env.pd, &limit, &used, &cap_limit,
	                          &cap_used),
	                 0);
	snprintf(args, sizeof(args), "ram_quota=%llu",
	         (unsigned long long)(limit - used));
	assert_int_equal(env_session(&e->env, "LOG", args, cap, &id), 0);
	return id;
}

static void assert_logged(struct env_fixture *e, const char *line)
{
	char text[1024];
	fixture_read(e->f, "log/init.log", text, sizeof(text));
	assert_non_null(strstr(text, line));
}

static void test_connection_reopen_keeps_service_args_and_quota(void **state)
{
	struct env_fixture *e = *state;
	connection_t log;
	assert_int_equal(connection_open(&log, &e->env, "LOG",
	                                 "label=\"c\", ram_quota=12K"),
	                 0);
	assert_int_equal(connection_upgrade(&log, 4096, 2), 0);
	/* the parent ends the session (as when its server goes away) */
	assert_int_equal(env_close(&e->env, log.id), 0);
	assert_int_equal(log_write(log.cap, "gone"), KERR_REVOKED);
	assert_quota_used(e, 8192, 4);

	assert_int_equal(connection_reopen(&log), 0);
	assert_int_equal(log.ram_quota, 16384); /* upgrades included */
	assert_int_equal(log.cap_quota, 6);
	assert_quota_used(e, 8192 + 16384, 4 + 6);
	assert_int_equal(log_write(log.cap, "after the reopen"), 0);
	assert_logged(e, "[init -> c] after the reopen\n");

	/* a reopen of an open session replaces it: the quota is paid once */
	assert_int_equal(connection_reopen(&log), 0);
	assert_quota_used(e, 8192 + 16384, 4 + 6);
	connection_close(&log);
	assert_quota_used(e, 8192, 4);
	assert_int_equal(connection_reopen(&log), PARENT_ERR_UNKNOWN);
	assert_false(kcap_valid(log.cap));
}

static void test_connection_reopen_refused_stays_closed(void **state)
{
	struct env_fixture *e = *state;
	connection_t log;
	kcap_t hog;
	assert_int_equal(connection_open(&log, &e->env, "LOG", "label=\"c\""),
	                 0);
	assert_int_equal(env_close(&e->env, log.id), 0);
	uint32_t hog_id = hog_ram(e, &hog);
	assert_int_equal(connection_reopen(&log), PARENT_ERR_OUT_OF_RAM);
	assert_false(kcap_valid(log.cap));
	assert_int_equal(log.ram_quota, 0);
	/* once there is RAM again, the next reopen works */
	assert_int_equal(env_close(&e->env, hog_id), 0);
	kcap_close(hog);
	assert_int_equal(connection_reopen(&log), 0);
	assert_int_equal(log.ram_quota, 8192);
	assert_int_equal(log_write(log.cap, "back"), 0);
	connection_close(&log);
	/* never opened: nothing to reopen */
	connection_t none;
	assert_int_equal(connection_open(&none, &e->env, "IRQ", ""),
	                 PARENT_ERR_DENIED);
	assert_int_equal(connection_reopen(&none), PARENT_ERR_UNKNOWN);
}

static void test_log_reopens_its_session_once(void **state)
{
	struct env_fixture *e = *state;
	assert_int_equal(env_close(&e->env, e->priv.log.id), 0);
	assert_int_equal(env_log(&e->env, "after %s", "the reopen"), 0);
	assert_logged(e, "[init] after the reopen\n");
	assert_true(kcap_valid(e->env.log));
	assert_int_equal(e->env.log.sel, e->priv.log.cap.sel);
	assert_quota_used(e, 8192, 4); /* one LOG session */
}

static void test_log_gives_up_when_the_reopen_fails(void **state)
{
	struct env_fixture *e = *state;
	kcap_t hog;
	assert_int_equal(env_close(&e->env, e->priv.log.id), 0);
	uint32_t hog_id = hog_ram(e, &hog);
	/* the line is lost and the status says why; no endless retry */
	assert_int_equal(env_log(&e->env, "lost"), PARENT_ERR_OUT_OF_RAM);
	assert_false(kcap_valid(e->env.log));
	assert_int_equal(env_log(&e->env, "lost too"), PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(env_close(&e->env, hog_id), 0);
	kcap_close(hog);
	assert_int_equal(env_log(&e->env, "found"), 0);
	char text[1024];
	fixture_read(e->f, "log/init.log", text, sizeof(text));
	assert_null(strstr(text, "lost"));
	assert_non_null(strstr(text, "[init] found\n"));
}

static void test_rom_reopens_and_keeps_its_signal(void **state)
{
	struct env_fixture *e = *state;
	fixture_write_config(e->f, "init.config", "first");
	env_rom_t rom;
	assert_int_equal(env_rom_open(&e->env, "config", &rom), 0);
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sigh;
	signal_t sig;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sigh), 0);
	assert_int_equal(env_rom_sigh(&rom, sigh), 0);
	/* the parent ends the session; the next update opens it anew */
	assert_int_equal(env_close(&e->env, rom.connection.id), 0);
	fixture_write_config(e->f, "init.config", "second");
	assert_int_equal(env_rom_update(&rom), 0);
	assert_memory_equal(rom.data, "second", 6);
	/* the signal is registered at the new session */
	fixture_write_config(e->f, "init.config", "third");
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_int_equal(env_rom_update(&rom), 0);
	assert_memory_equal(rom.data, "third", 5);
	env_rom_close(&rom);
	assert_quota_used(e, 8192, 4);
	kcap_close(sigh);
	signal_receiver_destroy(rx);
}

static void test_rom_update_fails_when_the_reopen_fails(void **state)
{
	struct env_fixture *e = *state;
	fixture_write_config(e->f, "init.config", "kept");
	env_rom_t rom;
	kcap_t hog;
	assert_int_equal(env_rom_open(&e->env, "config", &rom), 0);
	assert_int_equal(env_close(&e->env, rom.connection.id), 0);
	uint32_t hog_id = hog_ram(e, &hog);
	assert_int_equal(env_rom_update(&rom), PARENT_ERR_OUT_OF_RAM);
	assert_memory_equal(rom.data, "kept", 4); /* the old content stays */
	assert_int_equal(env_close(&e->env, hog_id), 0);
	kcap_close(hog);
	assert_int_equal(env_rom_update(&rom), 0);
	assert_memory_equal(rom.data, "kept", 4);
	env_rom_close(&rom);
}

/* What the watch's callback saw; it submits `done` so the test can wait
 * with a bound. */
struct watch_probe {
	int calls;
	bool open;
	kcap_t done;
};

static void watch_reopened(connection_t *c, void *ctx)
{
	struct watch_probe *p = ctx;
	p->calls++;
	p->open = kcap_valid(c->cap);
	(void)ksignal_submit(p->done, 1);
}

static void test_watched_connection_reopens_and_calls_back(void **state)
{
	struct env_fixture *e = *state;
	/* the watch runs on an entrypoint of its own: its calls go to the
	 * parent, which the fixture serves on its entrypoint */
	entrypoint_t *ep;
	assert_int_equal(entrypoint_create(&ep, "watch"), 0);
	e->env.ep = ep;
	env_reconnect_start(&e->env);
	assert_true(kcap_valid(e->priv.reconnect.session_cap));

	signal_receiver_t *rx;
	signal_context_t ctx;
	signal_t sig;
	struct watch_probe probe = { 0 };
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &probe.done), 0);

	connection_t log = { .env = NULL };
	assert_int_equal(connection_watch(&log, watch_reopened, &probe),
	                 PARENT_ERR_UNKNOWN); /* never opened */
	assert_int_equal(connection_open(&log, &e->env, "LOG",
	                                 "label=\"w\", ram_quota=12K"),
	                 0);
	assert_int_equal(connection_upgrade(&log, 4096, 1), 0);
	assert_int_equal(connection_watch(&log, watch_reopened, &probe), 0);
	/* a signal while the session is open changes nothing */
	assert_int_equal(ksignal_submit(e->priv.reconnect.session_cap, 1), 0);
	assert_int_equal(signal_receiver_wait(rx, &sig, 300), KERR_TIMEOUT);
	assert_int_equal(probe.calls, 0);

	/* the parent ends the session and submits the session signal (core's
	 * parent ends none by itself: the test does both) */
	assert_int_equal(env_close(&e->env, log.id), 0);
	assert_int_equal(ksignal_submit(e->priv.reconnect.session_cap, 1), 0);
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_int_equal(probe.calls, 1);
	assert_true(probe.open);
	assert_int_equal(log.ram_quota, 16384); /* upgrades included */
	assert_int_equal(log.cap_quota, 5);
	assert_quota_used(e, 8192 + 16384, 4 + 5);
	assert_int_equal(log_write(log.cap, "after the watch"), 0);
	assert_logged(e, "[init -> w] after the watch\n");

	connection_close(&log);
	assert_false(log.watched);
	assert_quota_used(e, 8192, 4);
	entrypoint_dissolve_signal(&e->priv.reconnect.session_signal);
	entrypoint_dissolve_signal(&e->priv.reconnect.retry_signal);
	kcap_close(e->priv.reconnect.session_cap);
	kcap_close(e->priv.reconnect.retry_cap);
	e->priv.reconnect.session_cap = KCAP_INVALID;
	e->env.ep = e->f->ep;
	entrypoint_destroy(ep);
	kcap_close(probe.done);
	signal_receiver_destroy(rx);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_session_fills_in_default_quota),
		T(test_refused_sessions_say_why),
		T(test_connection_donates_upgrades_and_returns_quota),
		T(test_connection_upgrade_past_quota_changes_nothing),
		T(test_connection_refused_stays_closed),
		T(test_serve_refused_announce_leaves_nothing_served),
		T(test_log_splits_lines),
		T(test_rom_open_and_update),
		T(test_heap_draws_on_the_pd_quota),
		T(test_heap_trim_gives_free_dataspaces_back),
		T(test_unpaid_session_fails_where_the_parent_takes_no_requests),
		T(test_connection_reopen_keeps_service_args_and_quota),
		T(test_connection_reopen_refused_stays_closed),
		T(test_log_reopens_its_session_once),
		T(test_log_gives_up_when_the_reopen_fails),
		T(test_rom_reopens_and_keeps_its_signal),
		T(test_rom_update_fails_when_the_reopen_fails),
		T(test_watched_connection_reopens_and_calls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
