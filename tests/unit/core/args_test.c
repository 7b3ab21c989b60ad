/*
 * Tests of which names may name a module of core's ROM service (target.h),
 * the part of the decode step core adds to the session arguments of
 * libruntime (tested in tests/unit/root_component).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "target.h"

#include <string.h>

static void test_module_names(void **state)
{
	(void)state;
	assert_true(target_module_name_ok("init"));
	assert_true(target_module_name_ok("init.config"));
	assert_false(target_module_name_ok(""));
	assert_false(target_module_name_ok(".."));
	assert_false(target_module_name_ok("."));
	assert_false(target_module_name_ok(".hidden"));
	assert_false(target_module_name_ok("../etc/passwd"));
	assert_false(target_module_name_ok("boot/init"));
	char long_name[TARGET_NAME_MAX + 2];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_false(target_module_name_ok(long_name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
