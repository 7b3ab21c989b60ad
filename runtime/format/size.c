/*
 * Sizes in the runtime configuration (a child's "ram"): either a whole number
 * of bytes or a string of decimal digits with an optional K, M or G suffix
 * (powers of 1024). Part of libformat's parser; the README specifies the
 * syntax. Anything else, and anything above RUNTIME_RAM_MAX, is refused.
 */
#include "parse_context.h"

#include <string.h>

static uint64_t suffix_factor(const char *suffix)
{
	if (strcmp(suffix, "") == 0)
		return 1;
	if (strcmp(suffix, "K") == 0)
		return UINT64_C(1) << 10;
	if (strcmp(suffix, "M") == 0)
		return UINT64_C(1) << 20;
	if (strcmp(suffix, "G") == 0)
		return UINT64_C(1) << 30;
	return 0;
}

static bool is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool parse_size_text(struct parse_context *ctx, const char *text,
                            const char *field, uint64_t *out)
{
	char shown[PARSE_SHOWN_MAX];
	uint64_t number = 0;
	const char *c = text;

	parse_shown(text, shown);
	for (; *c >= '0' && *c <= '9'; c++) {
		number = number * 10 + (uint64_t)(*c - '0');
		if (number > RUNTIME_RAM_MAX)
			return parse_fail(ctx,
			                  "%s \"%s\": more than %llu bytes",
			                  field, shown,
			                  (unsigned long long)RUNTIME_RAM_MAX);
	}
	if (c == text || (*c != '\0' && !(is_letter(c[0]) && c[1] == '\0')))
		return parse_fail(
			ctx,
			"%s \"%s\": not a size (digits with an optional K, M or G)",
			field, shown);
	uint64_t factor = suffix_factor(c);
	if (factor == 0)
		return parse_fail(ctx, "%s \"%s\": unknown size suffix", field,
		                  shown);
	if (number > RUNTIME_RAM_MAX / factor)
		return parse_fail(ctx, "%s \"%s\": more than %llu bytes", field,
		                  shown, (unsigned long long)RUNTIME_RAM_MAX);
	*out = number * factor;
	return true;
}

bool parse_size(struct parse_context *ctx, const cJSON *value,
                const char *field, uint64_t *out)
{
	if (cJSON_IsString(value))
		return parse_size_text(ctx, value->valuestring, field, out);
	if (cJSON_IsNumber(value))
		return parse_uint(ctx, value, field, RUNTIME_RAM_MAX, out);
	return parse_fail(
		ctx, "\"%s\" must be a number of bytes or a string like \"2M\"",
		field);
}
