/*
 * libFuzzer target of Arg_string (runtime/arg_string.h): the input, as a
 * buffer without a terminator and as a terminated string, goes through
 * every lookup and change. A crash, an access outside the buffer (ASan) or
 * a successful change that leaves a malformed string aborts the run.
 */
#include <runtime/arg_string.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void exercise(char *args, size_t size)
{
	char out[32];
	uint64_t v;
	int valid = arg_string_validate(args, size) == ARG_OK;
	arg_string_get_string(args, size, "label", out, sizeof out);
	arg_string_get_size(args, size, "ram_quota", &v);
	arg_string_get_unsigned(args, size, "cap_quota", &v);
	int changed = arg_string_set(args, size, "label", "\"x, y\"") == ARG_OK;
	changed |= arg_string_set_quoted(args, size, "name", "a\"b") == ARG_OK;
	changed |= arg_string_set_unsigned(args, size, "ram_quota", 4096) ==
	           ARG_OK;
	changed |= arg_string_remove(args, size, "cap_quota") == ARG_OK;
	if ((valid || changed) && arg_string_validate(args, size) != ARG_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 4096)
		return 0;
	char *raw = malloc(size);
	memcpy(raw, data, size);
	exercise(raw, size); /* maybe no terminator at all */
	free(raw);

	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	exercise(text, size + 1);
	free(text);
	return 0;
}
