/*
 * The output probe: a test component for the scenarios of core's capture
 * of standard output and error (tests/scenarios/3*-output-*.scenario),
 * started by init as a child. It writes to its stdout and stderr, not to
 * its LOG session, what its JSON config asks for, in this order:
 *
 *   "stdout": "TEXT"        TEXT and a newline to stdout (flushed)
 *   "stderr": "TEXT"        TEXT and a newline to stderr
 *   "hostile": true         bytes that try to break the log: a forged
 *                           line after a newline, an escape sequence,
 *                           bytes that are no UTF-8, a NUL
 *   "long_line": N          one line of N 'x' to stderr
 *   "unterminated": "TEXT"  TEXT without a newline to stderr
 *   "close_output": true    closes its stdout and stderr
 *   "double_free": true     frees a block twice: the C library writes
 *                           its message to stderr and aborts (glibc's
 *                           does; picolibc's free does not look)
 *   "assert_fails": true    an assertion that fails: the C library
 *                           writes its message to stderr and aborts, on
 *                           every platform
 *   "flood": true           writes numbered lines to stderr for ever
 *
 * Each step is logged through LOG too ("wrote", "closed output"), so a
 * scenario knows it happened; then "output probe done", and with
 * "exit": N it exits with N, else it stays alive.
 */
#include <cjson/cJSON.h>

#include <runtime/env.h>

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cJSON *item(const cJSON *json, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(json, name);
}

static void write_all(int fd, const char *bytes, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, bytes, len);
		if (n <= 0)
			return;
		bytes += n;
		len -= (size_t)n;
	}
}

static void write_hostile(void)
{
	static const char bytes[] = "forged\n[init -> other] (stderr) evil"
				    "\x1b[2J\xff\xfe\xc3\x28 nul\0end\n";
	write_all(2, bytes, sizeof(bytes) - 1);
}

static void write_long_line(int length)
{
	for (int i = 0; i < length; i++)
		write_all(2, "x", 1);
	write_all(2, "\n", 1);
}

static void double_free(env_t *env)
{
	char *volatile block = malloc(32);
	env_log(env, "freeing twice");
	free(block);
	free(block);   // cppcheck-suppress doubleFree ; the abort is the point NOLINT(clang-analyzer-unix.Malloc)
}

static void assert_fails(env_t *env)
{
	volatile int holds = 0;
	env_log(env, "asserting what does not hold");
	assert(holds && "the probe's assertion");
}

static void flood(env_t *env)
{
	env_log(env, "flooding");
	for (unsigned long i = 0;; i++)
		fprintf(stderr, "flood line %lu\n", i);
}

static void run(env_t *env, const cJSON *json)
{
	const cJSON *out = item(json, "stdout"), *err = item(json, "stderr");
	const cJSON *length = item(json, "long_line");
	const cJSON *unterminated = item(json, "unterminated");
	if (cJSON_IsString(out)) {
		printf("%s\n", out->valuestring);
		fflush(stdout);
	}
	if (cJSON_IsString(err))
		fprintf(stderr, "%s\n", err->valuestring);
	if (cJSON_IsTrue(item(json, "hostile")))
		write_hostile();
	if (cJSON_IsNumber(length))
		write_long_line(length->valueint);
	if (cJSON_IsString(unterminated))
		write_all(2, unterminated->valuestring,
		          strlen(unterminated->valuestring));
	env_log(env, "wrote");
	if (cJSON_IsTrue(item(json, "close_output"))) {
		close(1);
		close(2);
		env_log(env, "closed output");
	}
	if (cJSON_IsTrue(item(json, "double_free")))
		double_free(env);
	if (cJSON_IsTrue(item(json, "assert_fails")))
		assert_fails(env);
	if (cJSON_IsTrue(item(json, "flood")))
		flood(env);
}

void component_construct(env_t *env)
{
	env_rom_t rom;
	cJSON *json = NULL;
	if (env_rom_open(env, "config", &rom) == 0 && rom.data)
		json = cJSON_ParseWithLength(rom.data, rom.size);
	if (!json) {
		env_log(env, "no JSON config");
		env_exit(env, 1);
	}
	run(env, json);
	env_log(env, "output probe done");
	const cJSON *code = item(json, "exit");
	int exit_code = cJSON_IsNumber(code) ? code->valueint : -1;
	cJSON_Delete(json);
	env_rom_close(&rom);
	if (exit_code >= 0)
		env_exit(env, exit_code);
}
