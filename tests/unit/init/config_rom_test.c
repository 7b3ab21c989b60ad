/*
 * Tests of init's per-child config ROM (runtime/init/config_rom.h), served
 * on an entrypoint in-process with the fake PD of the runtime/child tests
 * paying for the dataspace: a child reads exactly its config text, a
 * session must be paid for, unknown sessions are refused, a new config is
 * a new version with a signal (and an update the PD cannot pay for keeps
 * the old one), and the dataspace goes back to the PD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define PAID "ram_quota=4K, cap_quota=1"

#include <runtime/signal.h>

#include "config_rom.h"
#include "fakes.h"
#include "rom_rpc.h"
#include "root_rpc.h"

struct fixture {
	entrypoint_t *ep;
	struct fake_pd pd;
	struct config_rom rom;
};

static const char text[] = "{\"greeting\":\"hi\"}";

static int setup(void **state)
{
	static struct fixture f;

	assert_int_equal(entrypoint_create(&f.ep, "config_rom"), 0);
	assert_int_equal(fake_pd_start(&f.pd, f.ep, 1 << 20, 10), 0);
	assert_int_equal(config_rom_init(&f.rom, f.ep, f.pd.cap, text,
	                                 strlen(text)),
	                 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	config_rom_fini(&f->rom);
	/* the dataspace went back to the PD */
	assert_int_equal(f->pd.ram, 1 << 20);
	fake_pd_stop(&f->pd);
	entrypoint_destroy(f->ep);
	return 0;
}

static void test_child_reads_its_config(void **state)
{
	struct fixture *f = *state;
	kcap_t session, ds;
	uint64_t size;
	uint32_t version;
	void *addr;

	assert_int_equal(root_session(f->rom.root.cap,
	                              "label=\"config\", " PAID, &session),
	                 0);
	assert_int_equal(rom_dataspace(session, &ds, &size, &version), 0);
	assert_int_equal(size, strlen(text));
	assert_int_equal(version, 1);
	assert_int_equal(kmem_map(ds, 0, (size_t)size, KMEM_READ, NULL, &addr),
	                 0);
	assert_memory_equal(addr, text, strlen(text));
	kmem_unmap(addr, (size_t)size);
	kcap_close(ds);
	assert_int_equal(root_close(f->rom.root.cap, session), 0);
	assert_int_equal(rom_dataspace(session, &ds, &size, &version),
	                 KERR_REVOKED);
	kcap_close(session);
}

static void test_sessions_are_paid_and_unknown_ones_refused(void **state)
{
	struct fixture *f = *state;
	kcap_t session, extra;
	kendpoint_t *other;
	kcap_t other_cap;

	assert_int_equal(root_session(f->rom.root.cap, "", &extra),
	                 ROOT_ERR_OUT_OF_RAM);
	assert_int_equal(root_session(f->rom.root.cap,
	                              "ram_quota=512, "
	                              "cap_quota=1",
	                              &extra),
	                 ROOT_ERR_OUT_OF_RAM);
	assert_int_equal(root_session(f->rom.root.cap, "ram_quota=4K", &extra),
	                 ROOT_ERR_OUT_OF_CAPS);
	assert_int_equal(root_session(f->rom.root.cap, "label=\"open", &extra),
	                 ROOT_ERR_INVALID);
	assert_int_equal(root_session(f->rom.root.cap, PAID, &session), 0);
	/* a capability that is no session of this ROM */
	assert_int_equal(kendpoint_create(&other, &other_cap), 0);
	assert_int_equal(root_close(f->rom.root.cap, other_cap),
	                 ROOT_ERR_UNKNOWN);
	assert_int_equal(root_upgrade(f->rom.root.cap, other_cap,
	                              "ram_quota=1K"),
	                 ROOT_ERR_UNKNOWN);
	kendpoint_dissolve(other);
	kcap_close(other_cap);
	assert_int_equal(root_upgrade(f->rom.root.cap, session, "ram_quota=1K"),
	                 0);
	assert_int_equal(root_close(f->rom.root.cap, session), 0);
	assert_int_equal(root_close(f->rom.root.cap, session),
	                 ROOT_ERR_UNKNOWN);
	kcap_close(session);
}

static void test_signal_can_be_installed(void **state)
{
	struct fixture *f = *state;
	kcap_t session;
	kendpoint_t *ep;
	kcap_t not_a_signal;

	assert_int_equal(root_session(f->rom.root.cap, PAID, &session), 0);
	assert_int_equal(kendpoint_create(&ep, &not_a_signal), 0);
	assert_int_equal(rom_sigh(session, not_a_signal), 0);
	kendpoint_dissolve(ep);
	kcap_close(not_a_signal);
	kcap_close(session);
}

/* The text and version a session reads now. */
static void assert_reads(kcap_t session, const char *expected,
                         uint32_t expected_version)
{
	kcap_t ds;
	uint64_t size;
	uint32_t version;
	void *addr;

	assert_int_equal(rom_dataspace(session, &ds, &size, &version), 0);
	assert_int_equal(version, expected_version);
	assert_int_equal(size, strlen(expected));
	assert_int_equal(kmem_map(ds, 0, (size_t)size, KMEM_READ, NULL, &addr),
	                 0);
	assert_memory_equal(addr, expected, strlen(expected));
	kmem_unmap(addr, (size_t)size);
	kcap_close(ds);
}

static void test_update_is_a_new_version_with_a_signal(void **state)
{
	struct fixture *f = *state;
	static const char next[] = "{\"greeting\":\"hello again\"}";
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t session, sig;
	signal_t received;

	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sig), 0);
	assert_int_equal(root_session(f->rom.root.cap, PAID, &session), 0);
	assert_int_equal(rom_sigh(session, sig), 0);
	assert_int_equal(config_rom_update(&f->rom, next, strlen(next)), 0);
	assert_int_equal(signal_receiver_wait(rx, &received, 10000), 0);
	assert_reads(session, next, 2);
	/* one dataspace at a time: the old one went back */
	assert_int_equal(config_rom_update(&f->rom, "{}", 2), 0);
	assert_reads(session, "{}", 3);
	kcap_close(session);
	kcap_close(sig);
	signal_receiver_destroy(rx);
}

static void test_update_the_pd_cannot_pay_keeps_the_old(void **state)
{
	struct fixture *f = *state;
	kcap_t session;
	static char huge[2 << 20];

	memset(huge, ' ', sizeof(huge));
	assert_int_equal(root_session(f->rom.root.cap, PAID, &session), 0);
	assert_int_not_equal(config_rom_update(&f->rom, huge, sizeof(huge)), 0);
	assert_reads(session, text, 1);
	kcap_close(session);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_child_reads_its_config,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_sessions_are_paid_and_unknown_ones_refused, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_signal_can_be_installed,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_update_is_a_new_version_with_a_signal, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_update_the_pd_cannot_pay_keeps_the_old, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
