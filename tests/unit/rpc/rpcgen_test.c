/*
 * Tests of rpcgen's IDL parser (runtime/rpc/rpcgen/idl.c): a good file
 * parses into the expected functions, arguments and errors; every kind of
 * bad file is refused with "FILE:LINE: message" naming the line to fix.
 * The last test runs the rpcgen program the build made (found through
 * BUILD_ASAN, which tests/run exports) the way mk/rpc.mk does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "idl.h"

static void test_parses_interface(void **state)
{
	static const char text[] =
		"# a comment\n"
		"interface demo {\n"
		"  error busy \"the demo is busy\";\n"
		"  ping();\n"
		"  put(in string<10> key, in bytes<20> value, out cap handle);\n"
		"  sum(in i32 a, in i64 b, out u64 total, out bool odd);\n"
		"};\n";
	struct idl_interface iface;
	char err[256] = "";
	(void)state;
	assert_int_equal(idl_parse(text, "demo.rpc", &iface, err, sizeof err),
	                 0);
	assert_string_equal(iface.name, "demo");
	assert_int_equal(iface.func_count, 3);
	assert_int_equal(iface.error_count, 1);
	assert_string_equal(iface.errors[0].text, "the demo is busy");
	assert_int_equal(iface.funcs[0].arg_count, 0);
	assert_string_equal(iface.funcs[1].name, "put");
	assert_int_equal(iface.funcs[1].args[0].type, RPC_STRING);
	assert_int_equal(iface.funcs[1].args[0].max, 10);
	assert_int_equal(iface.funcs[1].args[1].type, RPC_BYTES);
	assert_int_equal(iface.funcs[1].args[2].type, RPC_CAP);
	assert_int_equal(iface.funcs[1].args[2].out, 1);
	assert_int_equal(iface.funcs[2].args[1].type, RPC_I64);
	idl_free(&iface);
	assert_int_equal(idl_interface_id("counter"), 0x9cacde23u);
}

/* Parses `text`, expects failure with exactly `message`. */
static void expect_error(const char *text, const char *message)
{
	struct idl_interface iface;
	char err[256] = "";
	assert_int_equal(idl_parse(text, "bad.rpc", &iface, err, sizeof err),
	                 -1);
	assert_string_equal(err, message);
}

static void test_unknown_type_names_line(void **state)
{
	(void)state;
	expect_error(
		"interface x {\n  f(in u32 a);\n  g(in u128 b);\n};\n",
		"bad.rpc:3: unknown type 'u128' (known: u8 u16 u32 u64 i32 "
		"i64 bool cap string<N> bytes<N>)");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error("",
	             "bad.rpc:1: expected 'interface', found 'end of file'");
	expect_error(
		"interface x {\n  f(in u32 a)\n};\n",
		"bad.rpc:3: expected ';' after a function declaration, found '}'");
	expect_error(
		"interface x {\n  f(u32 a);\n};\n",
		"bad.rpc:2: expected 'in' or 'out' before an argument of f, "
		"found 'u32'");
	expect_error("interface x {\n  f(in u32 a);\n",
	             "bad.rpc:3: missing '}' at the end of interface x");
	expect_error("interface x {\n  f(in u32 a);\n};\nmore\n",
	             "bad.rpc:4: unexpected 'more' after the interface");
	expect_error("interface x {\n\n  f(in u32 a) $;\n};\n",
	             "bad.rpc:3: unexpected character '$'");
	expect_error("interface x {\n  error e no quotes;\n};\n",
	             "bad.rpc:2: expected a description in double quotes after "
	             "error 'e'");
	expect_error("interface x {\n  error e \"open\n};\n",
	             "bad.rpc:2: unterminated description string");
	expect_error("interface x {\n};\n",
	             "bad.rpc:2: interface x declares no function");
}

static void test_semantic_errors(void **state)
{
	(void)state;
	expect_error("interface x {\n  f();\n  f();\n};\n",
	             "bad.rpc:3: function 'f' is declared twice");
	expect_error("interface x {\n  f(in u8 a,\n    out u8 a);\n};\n",
	             "bad.rpc:3: argument 'a' of f is declared twice");
	expect_error("interface x {\n  f(in bytes<4> d, in u8 d_len);\n};\n",
	             "bad.rpc:2: argument 'd_len' of f is declared twice");
	expect_error(
		"interface x {\n  error e \"a\";\n  error e \"b\";\n  f();\n};\n",
		"bad.rpc:3: error 'e' is declared twice");
	expect_error(
		"interface x {\n  f(in u8 self);\n};\n",
		"bad.rpc:2: 'self' is reserved and cannot name an argument");
	expect_error(
		"interface x {\n  f(in string<0> s);\n};\n",
		"bad.rpc:2: the bound of string must be a number from 1 to 4096");
	expect_error(
		"interface x {\n  f(in string s);\n};\n",
		"bad.rpc:2: expected '<' after string or bytes (a bound like "
		"<64>), found 's'");
	expect_error(
		"interface x {\n  f(in cap a, in cap b, in cap c, in cap d,"
		" in cap e);\n};\n",
		"bad.rpc:2: f has 5 in-capabilities, a message carries at most 4");
	expect_error(
		"interface x {\n  f(out bytes<4000> a, out bytes<100> b);\n};\n",
		"bad.rpc:2: the out-arguments of f take up to 4112 bytes, more "
		"than one message (4096 bytes): lower the bounds");
}

/* Runs rpcgen NAME FILE in `dir`; returns its exit status, its stderr in
 * `output`. */
static int run_rpcgen(const char *dir, const char *name, const char *text,
                      char *output, size_t size)
{
	const char *build = getenv("BUILD_ASAN");
	char path[512], cmd[2048];
	FILE *f, *p;
	size_t n;
	int status;
	snprintf(path, sizeof path, "%s/in.rpc", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "%s/host/rpcgen %s %s %s/out.h %s/out.c 2>&1",
	         build ? build : "build/asan", name, path, dir, dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(output, 1, size - 1, p);
	output[n] = 0;
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_program_reports_file_and_line(void **state)
{
	char dir[] = "/tmp/rpcgen-test-XXXXXX", out[1024], path[600];
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.h", dir);

	assert_int_equal(run_rpcgen(dir, "x",
	                            "interface x {\n\n  f(in u9 a);\n};\n", out,
	                            sizeof out),
	                 1);
	assert_non_null(strstr(out, "/in.rpc:3: unknown type 'u9'"));
	assert_int_not_equal(access(path, F_OK), 0); /* nothing half-written */

	assert_int_equal(run_rpcgen(dir, "y", "interface x {\n  f();\n};\n",
	                            out, sizeof out),
	                 1);
	assert_non_null(
		strstr(out, "declares interface 'x', the build expects 'y'"));

	assert_int_equal(run_rpcgen(dir, "x", "interface x {\n  f();\n};\n",
	                            out, sizeof out),
	                 0);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	snprintf(path, sizeof path, "%s/out.c", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/in.rpc", dir);
	unlink(path);
	rmdir(dir);
}

static void test_typed_capabilities(void **state)
{
	struct idl_interface iface;
	char err[256] = "";
	(void)state;
	assert_int_equal(
		idl_parse("interface t {\n  f(in cap<t> a, out cap b);\n};\n",
	                  "t.rpc", &iface, err, sizeof err),
		0);
	assert_string_equal(iface.funcs[0].args[0].iface, "t");
	assert_string_equal(iface.funcs[0].args[1].iface, "");
	idl_free(&iface);
	expect_error("interface t {\n  f(in cap<> a);\n};\n",
	             "bad.rpc:2: expected an interface after cap<, found '>'");
	expect_error(
		"interface t {\n  f(in cap<x a);\n};\n",
		"bad.rpc:2: expected '>' after the interface of cap, found 'a'");
}

/* Runs rpcgen --table OUT.c with two interface files of `dir`. */
static int run_table(const char *dir, const char *a, const char *b,
                     char *output, size_t size)
{
	const char *build = getenv("BUILD_ASAN");
	char cmd[2048];
	const char *texts[2] = { a, b };
	FILE *p;
	size_t n;
	int status;
	for (int i = 0; i < 2; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/%d.rpc", dir, i);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(texts[i], f);
		fclose(f);
	}
	snprintf(cmd, sizeof cmd,
	         "%s/host/rpcgen --table %s/table.c %s/0.rpc %s/1.rpc 2>&1",
	         build ? build : "build/asan", dir, dir, dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(output, 1, size - 1, p);
	output[n] = 0;
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_descriptor_table(void **state)
{
	char dir[] = "/tmp/rpcgen-table-XXXXXX", out[8192], path[600];
	FILE *f;
	size_t n;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/table.c", dir);
	assert_int_equal(
		run_table(
			dir,
			"interface a {\n  f(in cap<b> x, out u16 y);\n};\n",
			"interface b {\n  error e \"no\";\n  g(in string<8> s);\n};\n",
			out, sizeof out),
		0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	fclose(f);
	assert_non_null(strstr(out, "{ \"x\", RPC_CAP, 0, \"b\" }"));
	assert_non_null(strstr(out, "{ \"y\", RPC_U16, 0, NULL }"));
	assert_non_null(strstr(out, "{ \"s\", RPC_STRING, 8, NULL }"));
	assert_non_null(strstr(out, "&a__rpc,\n\t&b__rpc,"));
	assert_non_null(strstr(out, "rpc_iface_table_count = 2;"));
	unlink(path);
	/* two files declaring one name: refused, nothing written */
	assert_int_equal(run_table(dir, "interface a {\n  f();\n};\n",
	                           "interface a {\n  g();\n};\n", out,
	                           sizeof out),
	                 1);
	assert_non_null(strstr(out, "interface 'a' clashes with 'a'"));
	assert_int_not_equal(access(path, F_OK), 0);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%d.rpc", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_interface),
		cmocka_unit_test(test_unknown_type_names_line),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_semantic_errors),
		cmocka_unit_test(test_program_reports_file_and_line),
		cmocka_unit_test(test_typed_capabilities),
		cmocka_unit_test(test_descriptor_table),
	};
	return cmocka_run_group_tests_name("rpcgen", tests, NULL, NULL);
}
