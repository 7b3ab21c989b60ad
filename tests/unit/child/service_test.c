/*
 * Tests of the service registry of runtime/child (runtime/service.h):
 * adding, looking up, refusing duplicates and bad names, withdrawing a
 * child's services, and waking the threads that watch for changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <runtime/service.h>
#include <runtime/signal.h>

struct fixture {
	struct service_registry reg;
	struct service_provider provider;
	kendpoint_t *ep;
};

static int setup(void **state)
{
	static struct fixture f;

	service_registry_init(&f.reg);
	assert_int_equal(kendpoint_create(&f.ep, &f.provider.root), 0);
	f.provider.pd = KCAP_INVALID;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	service_registry_destroy(&f->reg);
	kcap_close(f->provider.root);
	kendpoint_dissolve(f->ep);
	return 0;
}

static void test_add_and_lookup(void **state)
{
	struct fixture *f = *state;
	struct service_provider found;

	assert_int_equal(service_registry_add(&f->reg, "LOG", "log_server",
	                                      &f->provider),
	                 SERVICE_OK);
	assert_int_equal(service_registry_lookup(&f->reg, "LOG", "log_server",
	                                         &found),
	                 SERVICE_OK);
	assert_true(kcap_same_object(found.root, f->provider.root));
	assert_false(kcap_valid(found.pd));
	/* the copy is the caller's: closing it leaves the entry's */
	service_provider_close(&found);
	assert_int_equal(service_registry_lookup(&f->reg, "LOG", "log_server",
	                                         &found),
	                 SERVICE_OK);
	service_provider_close(&found);
}

static void test_lookup_is_by_owner_and_name(void **state)
{
	struct fixture *f = *state;
	struct service_provider found;

	assert_int_equal(service_registry_add(&f->reg, "LOG", "a",
	                                      &f->provider),
	                 SERVICE_OK);
	assert_int_equal(service_registry_lookup(&f->reg, "LOG", "b", &found),
	                 SERVICE_ERR_NOT_FOUND);
	assert_int_equal(service_registry_lookup(&f->reg, "Timer", "a", &found),
	                 SERVICE_ERR_NOT_FOUND);
	/* another owner may offer the same service */
	assert_int_equal(service_registry_add(&f->reg, "LOG", "b",
	                                      &f->provider),
	                 SERVICE_OK);
}

static void test_duplicates_and_bad_names(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(service_registry_add(&f->reg, "LOG", "a",
	                                      &f->provider),
	                 SERVICE_OK);
	assert_int_equal(service_registry_add(&f->reg, "LOG", "a",
	                                      &f->provider),
	                 SERVICE_ERR_EXISTS);
	assert_int_equal(service_registry_add(&f->reg, "", "a", &f->provider),
	                 SERVICE_ERR_INVALID);
	assert_int_equal(service_registry_add(&f->reg, "a b", "a",
	                                      &f->provider),
	                 SERVICE_ERR_INVALID);
	assert_int_equal(service_registry_add(
				 &f->reg, "A_service_name_longer_than_32_bytes",
				 "a", &f->provider),
	                 SERVICE_ERR_INVALID);
	assert_true(service_name_valid("Report.v2-x_y"));
	assert_false(service_name_valid("LOG\n"));
	assert_string_equal(runtime_strerror(SERVICE_ERR_EXISTS),
	                    "the service is already announced");
}

static void test_remove_owner(void **state)
{
	struct fixture *f = *state;
	struct service_provider found;

	service_registry_add(&f->reg, "LOG", "a", &f->provider);
	service_registry_add(&f->reg, "Timer", "a", &f->provider);
	service_registry_add(&f->reg, "LOG", "b", &f->provider);
	assert_int_equal(service_registry_remove_owner(&f->reg, "a"), 2);
	assert_int_equal(service_registry_remove_owner(&f->reg, "a"), 0);
	assert_int_equal(service_registry_lookup(&f->reg, "LOG", "a", &found),
	                 SERVICE_ERR_NOT_FOUND);
	assert_int_equal(service_registry_lookup(&f->reg, "LOG", "b", &found),
	                 SERVICE_OK);
	service_provider_close(&found);
}

static void test_watchers_hear_of_changes(void **state)
{
	struct fixture *f = *state;
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sig;
	signal_t got;

	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sig), 0);
	assert_int_equal(service_registry_watch(&f->reg, sig), SERVICE_OK);
	assert_int_equal(signal_receiver_poll(rx, &got), KERR_TIMEOUT);
	service_registry_add(&f->reg, "LOG", "a", &f->provider);
	assert_int_equal(signal_receiver_poll(rx, &got), 0);
	assert_ptr_equal(got.context, &ctx);
	service_registry_remove_owner(&f->reg, "a");
	assert_int_equal(signal_receiver_poll(rx, &got), 0);
	/* a failed add changes nothing and says nothing */
	service_registry_add(&f->reg, "bad name", "a", &f->provider);
	assert_int_equal(signal_receiver_poll(rx, &got), KERR_TIMEOUT);
	service_registry_unwatch(&f->reg, sig);
	service_registry_add(&f->reg, "LOG", "a", &f->provider);
	assert_int_equal(signal_receiver_poll(rx, &got), KERR_TIMEOUT);
	kcap_close(sig);
	signal_receiver_destroy(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_add_and_lookup),
		T(test_lookup_is_by_owner_and_name),
		T(test_duplicates_and_bad_names),
		T(test_remove_owner),
		T(test_watchers_hear_of_changes),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
