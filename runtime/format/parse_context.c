/*
 * The shared pieces of libformat's parser (see parse_context.h): error
 * recording with the path of the entry being read, and checked readers of
 * strings, whole numbers, service lists and objects with a fixed set of keys.
 * Every reader refuses wrong types and out-of-range values with a message;
 * none trusts the input.
 */
#include "parse_context.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool parse_fail(struct parse_context *ctx, const char *format, ...)
{
	char *message = ctx->error->message;
	size_t used = 0;
	va_list args;

	message[0] = '\0';
	if (ctx->where[0] != '\0')
		used = (size_t)snprintf(message, RUNTIME_CONFIG_ERROR_MAX,
		                        "%s: ", ctx->where);
	if (used < RUNTIME_CONFIG_ERROR_MAX) {
		va_start(args, format);
		vsnprintf(message + used, RUNTIME_CONFIG_ERROR_MAX - used, format, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
		va_end(args);
	}
	ctx->status = RUNTIME_CONFIG_INVALID;
	return false;
}

const char *parse_shown(const char *text, char shown[PARSE_SHOWN_MAX])
{
	size_t i = 0;

	for (; i < PARSE_SHOWN_MAX - 4 && text[i] != '\0'; i++) {
		unsigned char c = (unsigned char)text[i];
		shown[i] = (char)((c < 0x20 || c == 0x7f || c == '"') ? '?'
		                                                      : c);
	}
	if (text[i] != '\0') {
		memcpy(shown + i, "...", 3);
		i += 3;
	}
	shown[i] = '\0';
	return shown;
}

bool parse_no_memory(struct parse_context *ctx)
{
	snprintf(ctx->error->message, sizeof(ctx->error->message),
	         "out of memory");
	ctx->status = RUNTIME_CONFIG_NO_MEMORY;
	return false;
}

size_t parse_enter(struct parse_context *ctx, const char *format, ...)
{
	size_t previous = strlen(ctx->where);
	size_t used = previous;
	va_list args;

	if (used > 0 && used < sizeof(ctx->where))
		used += (size_t)snprintf(ctx->where + used,
		                         sizeof(ctx->where) - used, ": ");
	if (used < sizeof(ctx->where)) {
		va_start(args, format);
		vsnprintf(ctx->where + used, sizeof(ctx->where) - used, format, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
		va_end(args);
	}
	return previous;
}

void parse_leave(struct parse_context *ctx, size_t previous_length)
{
	ctx->where[previous_length] = '\0';
}

static bool char_in_charset(unsigned char c, enum parse_charset charset)
{
	bool name_punct = c == '_' || c == '.' || c == '-';
	bool lower_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

	switch (charset) {
	case CHARSET_CHILD_NAME:
		return lower_digit || name_punct;
	case CHARSET_SERVICE_NAME:
		return lower_digit || name_punct || (c >= 'A' && c <= 'Z');
	case CHARSET_PRINTABLE:
		break; /* a property of characters, not bytes: text_in_charset */
	}
	return false;
}

/* The bytes of the UTF-8 character at s[0..n) when it is valid and no
 * control character, else 0. Valid: the shortest form, no surrogate, at
 * most U+10FFFF; control: C0, DEL and C1 (U+0080..U+009F, which a
 * terminal obeys as it does ESC). */
static size_t printable_char(const unsigned char *s, size_t n)
{
	static const uint32_t smallest[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t length = s[0] < 0x80                    ? 1
	                : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
	                : s[0] >= 0xe0 && s[0] <= 0xef ? 3
	                : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
	                                               : 0;
	if (length == 1)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (length == 0 || length > n)
		return 0;
	uint32_t point = s[0] & (0x7fu >> length);
	for (size_t i = 1; i < length; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		point = point << 6 | (s[i] & 0x3fu);
	}
	if (point < smallest[length] || point > 0x10ffff ||
	    (point >= 0xd800 && point <= 0xdfff) || point <= 0x9f)
		return 0;
	return length;
}

static bool text_is_printable(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);

	for (size_t i = 0, step; i < n; i += step)
		if ((step = printable_char(s + i, n - i)) == 0)
			return false;
	return true;
}

void parse_make_printable(char *text)
{
	unsigned char *s = (unsigned char *)text;
	size_t n = strlen(text);

	for (size_t i = 0, step; i < n; i += step)
		if ((step = printable_char(s + i, n - i)) == 0) {
			s[i] = '?';
			step = 1;
		}
}

static const char *charset_description(enum parse_charset charset)
{
	switch (charset) {
	case CHARSET_CHILD_NAME:
		return "may hold only a-z, 0-9, '_', '.' and '-'";
	case CHARSET_SERVICE_NAME:
		return "may hold only A-Z, a-z, 0-9, '_', '.' and '-'";
	case CHARSET_PRINTABLE:
		return "may hold only printable UTF-8 (no control characters, "
		       "C1 included, and no invalid bytes)";
	}
	return "holds a character that is not allowed";
}

static bool text_in_charset(const char *text, enum parse_charset charset)
{
	if (charset == CHARSET_PRINTABLE)
		return text_is_printable(text);
	for (const char *c = text; *c != '\0'; c++)
		if (!char_in_charset((unsigned char)*c, charset))
			return false;
	return true;
}

/* Whether `text` is "." or "..", which no name may be (names become paths). */
static bool parse_is_dot_name(const char *text)
{
	return strcmp(text, ".") == 0 || strcmp(text, "..") == 0;
}

bool parse_text_is_valid(const char *text, size_t max,
                         enum parse_charset charset)
{
	size_t length = strnlen(text, max + 1);

	return length > 0 && length <= max && text_in_charset(text, charset) &&
	       !(charset != CHARSET_PRINTABLE && parse_is_dot_name(text));
}

bool parse_string(struct parse_context *ctx, const cJSON *value,
                  const char *field, size_t max, enum parse_charset charset,
                  bool allow_empty, char **out)
{
	if (!cJSON_IsString(value))
		return parse_fail(ctx, "\"%s\" must be a string", field);
	const char *text = value->valuestring;
	size_t length = strnlen(text, max + 1);
	if (length > max)
		return parse_fail(ctx, "\"%s\" is longer than %zu bytes", field,
		                  max);
	if (length == 0 && !allow_empty)
		return parse_fail(ctx, "\"%s\" must not be empty", field);
	if (!text_in_charset(text, charset)) {
		char shown[PARSE_SHOWN_MAX];
		return parse_fail(ctx, "\"%s\" value \"%s\" %s", field,
		                  parse_shown(text, shown),
		                  charset_description(charset));
	}
	if (charset != CHARSET_PRINTABLE && parse_is_dot_name(text))
		return parse_fail(ctx, "\"%s\" may not be \"%s\"", field, text);
	*out = strdup(text);
	return *out != NULL || parse_no_memory(ctx);
}

bool parse_uint(struct parse_context *ctx, const cJSON *value,
                const char *field, uint64_t max, uint64_t *out)
{
	if (!cJSON_IsNumber(value))
		return parse_fail(ctx, "\"%s\" must be a number", field);
	double number = value->valuedouble;
	/* max is below 2^53, so every whole number up to it is exact. */
	if (!isfinite(number) || number < 0 || number > (double)max ||
	    floor(number) != number)
		return parse_fail(
			ctx, "\"%s\" must be a whole number from 0 to %llu",
			field, (unsigned long long)max);
	*out = (uint64_t)number;
	return true;
}

static int compare_child_index(const void *a, const void *b)
{
	const struct parse_child_index *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c
	         : (x->position > y->position) - (x->position < y->position);
}

struct parse_child_index *parse_index_children(const struct runtime_config
                                                       *config)
{
	struct parse_child_index *index =
		malloc((config->start_count ? config->start_count : 1) *
	               sizeof(*index));
	if (index == NULL)
		return NULL;
	for (size_t i = 0; i < config->start_count; i++)
		index[i] = (struct parse_child_index){ config->start[i].name,
			                               i };
	qsort(index, config->start_count, sizeof(*index), compare_child_index);
	return index;
}

const struct runtime_child *parse_find_child(
	const struct runtime_config *config,
	const struct parse_child_index *index, const char *name)
{
	size_t low = 0, high = config->start_count;
	/* the first of equal names: the lowest position */
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		if (strcmp(index[mid].name, name) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	if (low < config->start_count && strcmp(index[low].name, name) == 0)
		return &config->start[index[low].position];
	return NULL;
}

struct name_position {
	const char *name;
	size_t position;
};

static int compare_name_position(const void *a, const void *b)
{
	const struct name_position *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c
	         : (x->position > y->position) - (x->position < y->position);
}

bool parse_names_repeated(char *const *names, size_t count, bool *repeated)
{
	struct name_position *index = malloc((count ? count : 1) *
	                                     sizeof(*index));

	if (index == NULL)
		return false;
	for (size_t i = 0; i < count; i++) {
		index[i] = (struct name_position){ names[i], i };
		repeated[i] = false;
	}
	qsort(index, count, sizeof(*index), compare_name_position);
	/* equal names sit together, the earliest first */
	for (size_t k = 1; k < count; k++)
		if (strcmp(index[k - 1].name, index[k].name) == 0)
			repeated[index[k].position] = true;
	free(index);
	return true;
}

/* Fails naming the name whose second occurrence comes first, as a scan in
 * document order would; true when every name is distinct. */
static bool check_distinct(struct parse_context *ctx, const char *field,
                           const struct runtime_name_list *list)
{
	bool *repeated = malloc((list->count ? list->count : 1) *
	                        sizeof(*repeated));
	bool ok = repeated != NULL &&
	          parse_names_repeated(list->names, list->count, repeated);

	if (!ok) {
		free(repeated);
		return parse_no_memory(ctx);
	}
	for (size_t i = 0; ok && i < list->count; i++)
		if (repeated[i])
			ok = parse_fail(ctx, "\"%s\" lists \"%s\" twice", field,
			                list->names[i]);
	free(repeated);
	return ok;
}

bool parse_list(struct parse_context *ctx, const cJSON *value,
                const char *field, const struct parse_list_kind *kind,
                parse_entry_reader *read, void **entries, size_t *count)
{
	if (!cJSON_IsArray(value))
		return kind->list_of
		               ? parse_fail(ctx, "\"%s\" must be a list of %s",
		                            field, kind->list_of)
		               : parse_fail(ctx, "\"%s\" must be a list",
		                            field);
	int size = cJSON_GetArraySize(value);
	if ((size_t)size > kind->max_count)
		return parse_fail(ctx, "\"%s\" has more than %zu %s", field,
		                  kind->max_count, kind->noun);
	*entries = calloc((size_t)size + 1, kind->entry_size);
	if (*entries == NULL)
		return parse_no_memory(ctx);
	const cJSON *item;
	cJSON_ArrayForEach (item, value) {
		size_t index = (*count)++;
		size_t previous = strlen(ctx->where);
		if (kind->enter)
			parse_enter(ctx, "%s[%zu]", field, index);
		if (kind->objects && !cJSON_IsObject(item))
			return parse_fail(ctx, "must be an object");
		if (!read(ctx, item, *entries, index))
			return false;
		parse_leave(ctx, previous);
	}
	return true;
}

bool parse_name_list(struct parse_context *ctx, const cJSON *value,
                     const char *field, const struct parse_name_kind *kind,
                     struct runtime_name_list *out)
{
	if (!cJSON_IsArray(value))
		return parse_fail(ctx, "\"%s\" must be a list of %s names",
		                  field, kind->noun);
	int size = cJSON_GetArraySize(value);
	if ((size_t)size > kind->max_count)
		return parse_fail(ctx, "\"%s\" has more than %zu %ss", field,
		                  kind->max_count, kind->noun);
	out->names = calloc((size_t)size + 1, sizeof(*out->names));
	if (out->names == NULL)
		return parse_no_memory(ctx);
	const cJSON *item;
	cJSON_ArrayForEach (item, value) {
		char element[48];
		snprintf(element, sizeof(element), "%s[%zu]", field,
		         out->count);
		char *name = NULL;
		if (!parse_string(ctx, item, element, kind->max_bytes,
		                  CHARSET_SERVICE_NAME, false, &name))
			return false;
		out->names[out->count++] = name;
	}
	return check_distinct(ctx, field, out);
}

bool parse_service_list(struct parse_context *ctx, const cJSON *value,
                        const char *field, struct runtime_name_list *out)
{
	static const struct parse_name_kind services = {
		"service",
		RUNTIME_NAME_MAX,
		RUNTIME_SERVICES_MAX,
	};

	return parse_name_list(ctx, value, field, &services, out);
}

static const struct parse_field *find_field(const struct parse_field *fields,
                                            size_t field_count, const char *key,
                                            size_t *index)
{
	for (size_t i = 0; i < field_count; i++) {
		if (strcmp(fields[i].key, key) == 0) {
			*index = i;
			return &fields[i];
		}
	}
	return NULL;
}

static bool read_fields(struct parse_context *ctx, const cJSON *object,
                        const struct parse_field *fields, size_t field_count,
                        void *target, bool ignore_unknown)
{
	uint32_t seen = 0;
	const cJSON *member;

	cJSON_ArrayForEach (member, object) {
		size_t index = 0;
		const struct parse_field *field =
			find_field(fields, field_count, member->string, &index);
		if (field == NULL && ignore_unknown)
			continue;
		if (field == NULL) {
			char shown[PARSE_SHOWN_MAX];
			return parse_fail(ctx, "unknown field \"%s\"",
			                  parse_shown(member->string, shown));
		}
		if (seen & (UINT32_C(1) << index))
			return parse_fail(ctx, "field \"%s\" given twice",
			                  field->key);
		seen |= UINT32_C(1) << index;
		if (!field->read(ctx, member, target))
			return false;
	}
	return true;
}

bool parse_object_fields(struct parse_context *ctx, const cJSON *object,
                         const struct parse_field *fields, size_t field_count,
                         void *target)
{
	return read_fields(ctx, object, fields, field_count, target, false);
}

bool parse_object_known_fields(struct parse_context *ctx, const cJSON *object,
                               const struct parse_field *fields,
                               size_t field_count, void *target)
{
	return read_fields(ctx, object, fields, field_count, target, true);
}
