/*
 * From bytes to a cJSON tree, the first step of libformat's parser: the size
 * limit, refusal of NUL bytes and of nesting deeper than RUNTIME_NESTING_MAX
 * (checked before cJSON recurses), cJSON's parse, and nothing but whitespace
 * after the document. Errors give the line and column a person looks at.
 */
#include "parse_context.h"

#include <stdio.h>
#include <string.h>

/* Line and column (both from 1) of byte `offset` of `text`. */
static void position_of(const char *text, size_t offset, size_t *line,
                        size_t *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

static enum runtime_config_status json_error(struct runtime_config_error *error,
                                             const char *text, size_t offset,
                                             const char *what)
{
	size_t line = 0;
	size_t column = 0;

	position_of(text, offset, &line, &column);
	snprintf(error->message, sizeof(error->message),
	         "line %zu, column %zu: %s", line, column, what);
	return RUNTIME_CONFIG_BAD_JSON;
}

/* Bytes of JSON whitespace at the start of `text`, at most `length`. */
static size_t whitespace_length(const char *text, size_t length)
{
	size_t i = 0;

	while (i < length && (text[i] == ' ' || text[i] == '\t' ||
	                      text[i] == '\r' || text[i] == '\n'))
		i++;
	return i;
}

/*
 * The offset of the first "\u0000" escape in `text`, or `length`. cJSON keeps
 * strings NUL-terminated, so such an escape would cut a string silently
 * ("timer\u0000x" read as "timer"); it is refused instead. A backslash
 * outside a string is malformed JSON anyway, so no string tracking is needed.
 */
static size_t escaped_nul_offset(const char *text, size_t length)
{
	for (size_t i = 0; i + 1 < length; i++) {
		if (text[i] != '\\')
			continue;
		if (i + 6 <= length && memcmp(text + i + 1, "u0000", 5) == 0)
			return i;
		i++; /* skip the escaped character, which may be a backslash */
	}
	return length;
}

/*
 * The offset of the first bracket that opens a level deeper than
 * RUNTIME_NESTING_MAX, or `length`. Brackets inside strings do not count;
 * text that confuses this scan is malformed and cJSON refuses it anyway.
 */
static size_t too_deep_offset(const char *text, size_t length)
{
	size_t depth = 0;
	bool in_string = false;

	for (size_t i = 0; i < length; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > RUNTIME_NESTING_MAX)
				return i;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return length;
}

/* Refuses what cJSON should not see: too much, NUL bytes, too deep. */
static enum runtime_config_status check_text(const char *text, size_t length,
                                             struct runtime_config_error *error)
{
	if (length > RUNTIME_CONFIG_INPUT_MAX) {
		snprintf(error->message, sizeof(error->message),
		         "configuration is %zu bytes, more than the %d allowed",
		         length, RUNTIME_CONFIG_INPUT_MAX);
		return RUNTIME_CONFIG_INVALID;
	}
	const char *nul = memchr(text, '\0', length);
	if (nul != NULL)
		return json_error(error, text, (size_t)(nul - text),
		                  "NUL byte in the document");
	size_t escaped_nul = escaped_nul_offset(text, length);
	if (escaped_nul < length)
		return json_error(error, text, escaped_nul,
		                  "\\u0000 (NUL) in a string");
	size_t too_deep = too_deep_offset(text, length);
	if (too_deep < length) {
		char what[48];
		snprintf(what, sizeof(what), "nested more than %d deep",
		         RUNTIME_NESTING_MAX);
		return json_error(error, text, too_deep, what);
	}
	return RUNTIME_CONFIG_OK;
}

enum runtime_config_status json_text_parse(const char *text, size_t length,
                                           cJSON **json,
                                           struct runtime_config_error *error)
{
	const char *end = NULL;
	enum runtime_config_status status = check_text(text, length, error);

	if (status != RUNTIME_CONFIG_OK)
		return status;
	*json = cJSON_ParseWithLengthOpts(text, length, &end, false);
	if (*json == NULL) {
		size_t offset = end != NULL && end >= text
		                        ? (size_t)(end - text)
		                        : 0;
		return json_error(error, text,
		                  offset > length ? length : offset,
		                  "invalid JSON");
	}
	size_t consumed = (size_t)(end - text);
	consumed += whitespace_length(end, length - consumed);
	if (consumed < length) {
		cJSON_Delete(*json);
		*json = NULL;
		return json_error(error, text, consumed,
		                  "unexpected text after the JSON document");
	}
	return RUNTIME_CONFIG_OK;
}
