/*
 * The descriptor table the generic RPC proxy links (rpcgen --table,
 * pkg/remote/rpc/iface_table.h): every interface file of the tree is in
 * it, found by name and by wire id, with the same functions, bounds and
 * ids as the interface's own generated descriptor, and typed
 * capabilities name their interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "counter_session_rpc.h"
#include "iface_table.h"
#include "vault_rpc.h"

/* Interfaces of .rpc files all over the tree (runtime, pkg, tests): the
 * table takes every file the build finds, these among them. */
static const char *const declared[] = {
	"counter_session", "timer", "cpu", "log",  "net",   "parent", "pd",
	"report",          "rm",    "rom", "root", "vault", "notes",  "counter",
};

static void every_interface_is_in_the_table(void **state)
{
	(void)state;
	assert_true(rpc_iface_table_count >=
	            sizeof declared / sizeof declared[0]);
	for (size_t i = 0; i < sizeof declared / sizeof declared[0]; i++) {
		const rpc_interface_t *t = iface_by_name(declared[i]);
		assert_non_null(t);
		assert_ptr_equal(iface_by_id(t->id), t);
		assert_null(
			t->invoke); /* descriptors only: the proxy forwards */
	}
	assert_null(iface_by_name("no_such_interface"));
	assert_null(iface_by_id(0));
}

/* What init's routes to other nodes rely on: a service's interface by
 * its name ("Counter": counter_session first, "Vault": vault). */
static void service_names_find_their_interface(void **state)
{
	char long_name[200];
	(void)state;
	assert_ptr_equal(iface_for_service("Counter"),
	                 iface_by_name("counter_session"));
	assert_ptr_equal(iface_for_service("Vault"), iface_by_name("vault"));
	assert_ptr_equal(iface_for_service("Timer"), iface_by_name("timer"));
	assert_null(iface_for_service("Nothing"));
	assert_null(iface_for_service(""));
	memset(long_name, 'A', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_null(iface_for_service(long_name));
}

/* The table's descriptor is the interface's own, field for field. */
static void same_as_the_generated_descriptor(void **state)
{
	const rpc_interface_t *const own[] = { &counter_session_rpc,
		                               &vault_rpc };
	(void)state;
	for (size_t k = 0; k < 2; k++) {
		const rpc_interface_t *t = iface_by_name(own[k]->name);
		assert_non_null(t);
		assert_int_equal(t->id, own[k]->id);
		assert_int_equal(t->func_count, own[k]->func_count);
		assert_int_equal(t->error_count, own[k]->error_count);
		for (uint32_t f = 0; f < t->func_count; f++) {
			const rpc_func_desc_t *a = &t->funcs[f],
					      *b = &own[k]->funcs[f];
			assert_string_equal(a->name, b->name);
			assert_int_equal(a->opcode, b->opcode);
			assert_int_equal(a->in_count, b->in_count);
			assert_int_equal(a->out_count, b->out_count);
			for (uint32_t i = 0; i < a->in_count; i++) {
				assert_int_equal(a->in[i].type, b->in[i].type);
				assert_int_equal(a->in[i].max, b->in[i].max);
			}
			for (uint32_t i = 0; i < a->out_count; i++) {
				assert_int_equal(a->out[i].type,
				                 b->out[i].type);
				assert_int_equal(a->out[i].max, b->out[i].max);
			}
		}
	}
}

static void typed_capabilities_name_their_interface(void **state)
{
	const rpc_interface_t *v = iface_by_name("vault");
	(void)state;
	assert_non_null(v);
	assert_string_equal(v->funcs[VAULT_OP_MAKE].out[0].iface, "vault");
	assert_string_equal(v->funcs[VAULT_OP_STORE].in[0].iface, "vault");
	/* a plain cap names none: a dataspace or signal crosses, no object */
	assert_null(iface_by_name("counter_session")
	                    ->funcs[COUNTER_SESSION_OP_SIGH]
	                    .in[0]
	                    .iface);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_interface_is_in_the_table),
		cmocka_unit_test(same_as_the_generated_descriptor),
		cmocka_unit_test(service_names_find_their_interface),
		cmocka_unit_test(typed_capabilities_name_their_interface),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
