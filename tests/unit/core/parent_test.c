/*
 * Tests of core's parent object for init (init_parent.h): sessions go to
 * core's services with the label prefixed "init", paid from init's PD and
 * paid back on close or refusal; init's own PD and its "config" ROM are
 * the special answers; hostile requests get clear errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"
#include "init_parent.h"

#include "log_rpc.h"
#include "parent_rpc.h"
#include "pd_rpc.h"
#include "rom_rpc.h"

#include <runtime/signal.h>

#include <stdlib.h>
#include <string.h>

enum { WAIT_MS = 10000 };

struct parent_fixture {
	struct fixture *f;
	struct pd_session *init_pd;
	struct init_parent parent;
};

static int setup(void **state)
{
	struct parent_fixture *p = calloc(1, sizeof(*p));
	p->f = fixture_create();
	assert_int_equal(pd_session_create(&p->f->services.pd, "init", 1u << 20,
	                                   100, &p->init_pd),
	                 0);
	assert_int_equal(init_parent_init(&p->parent, &p->f->services,
	                                  p->init_pd),
	                 0);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct parent_fixture *p = *state;
	init_parent_dissolve(&p->parent);
	fixture_destroy(p->f);
	free(p);
	return 0;
}

static uint64_t ram_used(struct parent_fixture *p)
{
	uint64_t limit, used, cap_limit, cap_used;
	assert_int_equal(pd_quota(pd_session_cap(p->init_pd), &limit, &used,
	                          &cap_limit, &cap_used),
	                 0);
	return used;
}

static int open_session(struct parent_fixture *p, const char *service,
                        const char *args, kcap_t *cap, uint32_t *id)
{
	int rc = parent_session(p->parent.cap, service, args, id);
	if (rc != 0)
		return rc;
	return parent_session_cap(p->parent.cap, *id, cap);
}

static void test_session_is_labelled_and_paid_by_init(void **state)
{
	struct parent_fixture *p = *state;
	kcap_t log;
	uint32_t id;
	assert_int_equal(open_session(p, "LOG",
	                              "label=\"hello\", ram_quota=8K, "
	                              "cap_quota=2",
	                              &log, &id),
	                 0);
	assert_int_equal(ram_used(p), 8192);
	assert_int_equal(log_write(log, "hi"), 0);
	char text[256];
	fixture_read(p->f, "log/init.log", text, sizeof(text));
	assert_string_equal(text, "[init -> hello] hi\n");
	assert_int_equal(parent_close(p->parent.cap, id), 0);
	assert_int_equal(ram_used(p), 0);
	assert_int_equal(log_write(log, "closed"), KERR_REVOKED);
	assert_int_equal(parent_close(p->parent.cap, id), PARENT_ERR_UNKNOWN);
	kcap_close(log);
}

static void test_own_pd_is_inits_pool(void **state)
{
	struct parent_fixture *p = *state;
	kcap_t pd;
	uint32_t id;
	assert_int_equal(open_session(p, "PD", "", &pd, &id), 0);
	assert_int_equal(kcap_same_object(pd, pd_session_cap(p->init_pd)), 1);
	assert_int_equal(ram_used(p), 0);
	kcap_close(pd);
}

static void test_config_rom_is_init_config(void **state)
{
	struct parent_fixture *p = *state;
	fixture_write_config(p->f, "init.config", "{\"start\": []}");
	kcap_t rom, ds;
	uint32_t id, version;
	uint64_t size;
	assert_int_equal(open_session(p, "ROM",
	                              "label=\"config\", "
	                              "ram_quota=8K, cap_quota=1",
	                              &rom, &id),
	                 0);
	assert_int_equal(rom_dataspace(rom, &ds, &size, &version), 0);
	assert_int_equal(size, strlen("{\"start\": []}"));
	kcap_close(ds);
	kcap_close(rom);
}

static void test_quota_beyond_inits_is_refused(void **state)
{
	struct parent_fixture *p = *state;
	uint32_t id;
	assert_int_equal(parent_session(p->parent.cap, "LOG",
	                                "ram_quota=2M, "
	                                "cap_quota=1",
	                                &id),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(parent_session(p->parent.cap, "LOG",
	                                "ram_quota=8K, "
	                                "cap_quota=1000",
	                                &id),
	                 PARENT_ERR_OUT_OF_CAPS);
	assert_int_equal(ram_used(p), 0);
}

static void test_refusals_are_told_once_and_repaid(void **state)
{
	struct parent_fixture *p = *state;
	uint32_t id;
	kcap_t cap;
	assert_int_equal(parent_session(p->parent.cap, "IRQ",
	                                "ram_quota=8K, "
	                                "cap_quota=1",
	                                &id),
	                 0);
	assert_int_equal(ram_used(p), 0);
	assert_int_equal(parent_session_cap(p->parent.cap, id, &cap),
	                 PARENT_ERR_DENIED);
	assert_int_equal(parent_session_cap(p->parent.cap, id, &cap),
	                 PARENT_ERR_UNKNOWN);
	assert_int_equal(parent_session(p->parent.cap, "NoSuchService",
	                                "ram_quota=8K, cap_quota=1", &id),
	                 0);
	assert_int_equal(parent_session_cap(p->parent.cap, id, &cap),
	                 PARENT_ERR_DENIED);
	char text[1024];
	fixture_read(p->f, "log/core.log", text, sizeof(text));
	assert_non_null(strstr(text, "IRQ session of 'init' denied: no device "
	                             "access on the linux platform"));
	assert_non_null(strstr(text, "'NoSuchService', which core lacks"));
}

static void test_malformed_requests_are_invalid(void **state)
{
	struct parent_fixture *p = *state;
	uint32_t id;
	kcap_t cap;
	assert_int_equal(parent_session(p->parent.cap, "LOG", "label=\"open",
	                                &id),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_session(p->parent.cap, "LOG", "ram_quota=many",
	                                &id),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_session_cap(p->parent.cap, 4711, &cap),
	                 PARENT_ERR_UNKNOWN);
	assert_int_equal(parent_upgrade(p->parent.cap, 4711, "ram_quota=4K"),
	                 PARENT_ERR_UNKNOWN);
}

static void test_session_signal_and_upgrade(void **state)
{
	struct parent_fixture *p = *state;
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sigh, log;
	uint32_t id;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sigh), 0);
	assert_int_equal(parent_session_sigh(p->parent.cap, sigh), 0);
	assert_int_equal(parent_session(p->parent.cap, "LOG",
	                                "ram_quota=8K, "
	                                "cap_quota=1",
	                                &id),
	                 0);
	signal_t sig;
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_int_equal(parent_session_cap(p->parent.cap, id, &log), 0);
	assert_int_equal(parent_upgrade(p->parent.cap, id, "ram_quota=8K"), 0);
	assert_int_equal(ram_used(p), 16384);
	assert_int_equal(parent_upgrade(p->parent.cap, id, "ram_quota=4M"),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(parent_close(p->parent.cap, id), 0);
	assert_int_equal(ram_used(p), 0);
	kcap_close(log);
	kcap_close(sigh);
	signal_receiver_destroy(rx);
}

/* session_now: a session core opened comes with the id; a refusal
 * brings no capability and is told by session_cap. */
static void test_session_now_brings_the_capability(void **state)
{
	struct parent_fixture *p = *state;
	kcap_t log = KCAP_INVALID, none = KCAP_INVALID, cap;
	uint32_t id, refused;
	assert_int_equal(parent_session_now(p->parent.cap, "LOG",
	                                    "ram_quota=8K, "
	                                    "cap_quota=1",
	                                    &id, &log),
	                 0);
	assert_true(kcap_valid(log));
	assert_int_equal(log_write(log, "at once"), 0);
	assert_int_equal(parent_session_now(p->parent.cap, "IRQ",
	                                    "ram_quota=8K, "
	                                    "cap_quota=1",
	                                    &refused, &none),
	                 0);
	assert_false(kcap_valid(none));
	assert_int_equal(parent_session_cap(p->parent.cap, refused, &cap),
	                 PARENT_ERR_DENIED);
	assert_int_equal(parent_close(p->parent.cap, id), 0);
	assert_int_equal(ram_used(p), 0);
	kcap_close(log);
}

/* downgrade: a PD session gives back what its pool has free, and init's
 * PD gets it; closing it later returns only the rest. Other services and
 * init's own PD give nothing back. */
static void test_downgrade_takes_free_pd_quota_back(void **state)
{
	struct parent_fixture *p = *state;
	uint64_t limit, used, cap_limit, cap_used;
	kcap_t pd, log, ds;
	uint32_t pd_id, log_id, own_id;
	assert_int_equal(open_session(p, "PD",
	                              "label=\"child\", ram_quota=1M, "
	                              "cap_quota=20",
	                              &pd, &pd_id),
	                 0);
	assert_int_equal(pd_alloc(pd, 256 * 1024, &ds), 0);
	assert_int_equal(parent_downgrade(p->parent.cap, pd_id,
	                                  "ram_quota=900K"),
	                 PARENT_ERR_OUT_OF_RAM);
	assert_int_equal(ram_used(p), 1024 * 1024);
	assert_int_equal(parent_downgrade(p->parent.cap, pd_id,
	                                  "ram_quota=512K, cap_quota=5"),
	                 0);
	assert_int_equal(ram_used(p), 512 * 1024);
	assert_int_equal(pd_quota(pd, &limit, &used, &cap_limit, &cap_used), 0);
	assert_int_equal(limit, 512 * 1024);
	assert_int_equal(used, 256 * 1024);
	assert_int_equal(cap_limit, 15);
	assert_int_equal(parent_downgrade(p->parent.cap, pd_id, "ram_quota=2M"),
	                 PARENT_ERR_INVALID);
	assert_int_equal(parent_downgrade(p->parent.cap, 4711, "ram_quota=1K"),
	                 PARENT_ERR_UNKNOWN);

	assert_int_equal(open_session(p, "LOG", "ram_quota=64K, cap_quota=1",
	                              &log, &log_id),
	                 0);
	assert_int_equal(parent_downgrade(p->parent.cap, log_id,
	                                  "ram_quota=1K"),
	                 PARENT_ERR_DENIED);
	assert_int_equal(open_session(p, "PD", "label=\"\"", &ds, &own_id), 0);
	kcap_close(ds);
	assert_int_equal(parent_downgrade(p->parent.cap, own_id,
	                                  "ram_quota=1K"),
	                 PARENT_ERR_DENIED);
	assert_int_equal(parent_close(p->parent.cap, log_id), 0);
	assert_int_equal(parent_close(p->parent.cap, pd_id), 0);
	assert_int_equal(ram_used(p), 0);
	kcap_close(log);
	kcap_close(pd);
}

static void test_announce_is_refused(void **state)
{
	struct parent_fixture *p = *state;
	assert_int_equal(parent_announce(p->parent.cap, "Timer", p->parent.cap),
	                 PARENT_ERR_DENIED);
}

/* When init ends, core dissolves its parent object: every session init
 * had is closed, a PD session (with the domain in it) included, and its
 * quota is back in init's PD. */
static void test_dissolving_closes_every_session(void **state)
{
	struct parent_fixture *p = *state;
	kcap_t child, log;
	uint32_t id;
	assert_int_equal(open_session(p, "PD",
	                              "label=\"child\", ram_quota=64K, "
	                              "cap_quota=4",
	                              &child, &id),
	                 0);
	assert_int_equal(open_session(p, "LOG", "ram_quota=8K, cap_quota=1",
	                              &log, &id),
	                 0);
	assert_int_equal(ram_used(p), 65536 + 8192);
	uint64_t a, b, c, d;
	assert_int_equal(pd_quota(child, &a, &b, &c, &d), 0);
	assert_int_equal(a, 65536);

	kcap_t parent;
	assert_int_equal(kcap_copy(p->parent.cap, &parent), 0);
	init_parent_dissolve(&p->parent);
	assert_int_equal(pd_quota(child, &a, &b, &c, &d), KERR_REVOKED);
	assert_int_equal(log_write(log, "gone"), KERR_REVOKED);
	assert_int_equal(ram_used(p), 0);
	assert_int_equal(parent_session(parent, "LOG", "", &id), KERR_REVOKED);
	kcap_close(parent);
	kcap_close(child);
	kcap_close(log);
	/* a fresh parent object for the teardown */
	assert_int_equal(init_parent_init(&p->parent, &p->f->services,
	                                  p->init_pd),
	                 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_session_is_labelled_and_paid_by_init),
		T(test_own_pd_is_inits_pool),
		T(test_config_rom_is_init_config),
		T(test_quota_beyond_inits_is_refused),
		T(test_refusals_are_told_once_and_repaid),
		T(test_malformed_requests_are_invalid),
		T(test_session_signal_and_upgrade),
		T(test_session_now_brings_the_capability),
		T(test_downgrade_takes_free_pd_quota_back),
		T(test_announce_is_refused),
		T(test_dissolving_closes_every_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
