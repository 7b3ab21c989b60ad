/*
 * Unit tests of the service argument of forwarded sessions (pkg/remote/
 * rpc/service_arg.h): added and taken back byte for byte, and every
 * malformed or missing one refused, so a server proxy never opens a
 * session of a service it does not export.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service_arg.h"

static void added_and_taken(void **state)
{
	char with[400], without[400], service[SERVICE_ARG_NAME_MAX + 1];
	(void)state;
	assert_int_equal(service_arg_add(with, sizeof with,
	                                 "label=\"probe\", ram_quota=8192",
	                                 "Counter"),
	                 0);
	assert_string_equal(
		with,
		"label=\"probe\", ram_quota=8192, remote_service=\"Counter\"");
	assert_int_equal(service_arg_take(with, without, sizeof without,
	                                  service),
	                 0);
	assert_string_equal(without, "label=\"probe\", ram_quota=8192");
	assert_string_equal(service, "Counter");
	/* a label that holds the key itself: the last one counts */
	assert_int_equal(
		service_arg_add(with, sizeof with,
	                        "label=\"x, remote_service=\\\"Vault\\\"\"",
	                        "Counter"),
		0);
	assert_int_equal(service_arg_take(with, without, sizeof without,
	                                  service),
	                 0);
	assert_string_equal(service, "Counter");
}

static void refused(void **state)
{
	char out[64], service[SERVICE_ARG_NAME_MAX + 1];
	char long_name[SERVICE_ARG_NAME_MAX + 2];
	static const char *const bad[] = {
		"label=\"probe\"",                           /* none */
		"label=\"probe\", remote_service=\"\"",      /* empty */
		"label=\"probe\", remote_service=\"Counter", /* unterminated */
		"label=\"probe\", remote_service=\"Count\"er\"", /* a quote inside */
		"label=\"probe\", remote_service=\"Counter\", ram_quota=1", /* not last */
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (service_arg_take(bad[i], out, sizeof out, service) == 0)
			fail_msg("case %zu taken: \"%s\"", i, bad[i]);
	memset(long_name, 'S', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_int_equal(service_arg_add(out, sizeof out, "", long_name), -1);
	assert_int_equal(service_arg_add(out, sizeof out, "", "a\"b"), -1);
	assert_int_equal(service_arg_add(out, sizeof out, "", ""), -1);
	/* does not fit */
	assert_int_equal(service_arg_add(out, 20, "label=\"probe\"", "Counter"),
	                 -1);
	/* the rest does not fit the caller's buffer */
	assert_int_equal(
		service_arg_take(
			"label=\"a long label here\", remote_service=\"C\"",
			out, 8, service),
		-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(added_and_taken),
		cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
