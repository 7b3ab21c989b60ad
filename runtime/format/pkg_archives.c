/*
 * pkg_archives_parse and pkg_archives_search_list (format/pkg_archives.h):
 * a pkg's `archives` file, read line by line in one pass, and the archives
 * init searches for a pkg child's files. Part of libformat; the depot tool
 * and init share it. The file comes from untrusted archives: every line is
 * bounded, every name checked part by part, and a bad line is refused with
 * its number.
 */
#include "format/pkg_archives.h"

#include "parse_context.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
	[PKG_ARCHIVE_SRC] = "src", [PKG_ARCHIVE_API] = "api",
	[PKG_ARCHIVE_RAW] = "raw", [PKG_ARCHIVE_PKG] = "pkg",
	[PKG_ARCHIVE_BIN] = "bin",
};

static enum runtime_config_status fail(struct runtime_config_error *error,
                                       enum runtime_config_status status,
                                       const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static enum runtime_config_status fail(struct runtime_config_error *error,
                                       enum runtime_config_status status,
                                       const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(error->message, sizeof(error->message), format, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start just above
	va_end(args);
	return status;
}

/* Why `part` is no valid part of a name, or NULL. */
static const char *part_problem(const char *part, size_t length)
{
	if (length == 0)
		return "is empty";
	if (length > PKG_ARCHIVE_PART_MAX)
		return "is longer than 95 bytes";
	if (part[0] == '.')
		return "starts with '.'";
	for (size_t i = 0; i < length; i++)
		if (!isalnum((unsigned char)part[i]) &&
		    !strchr("._+-", part[i]))
			return "has characters outside [A-Za-z0-9._+-]";
	return NULL;
}

static int kind_of(const char *part, size_t length)
{
	for (size_t k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (strlen(kind_names[k]) == length &&
		    !memcmp(kind_names[k], part, length))
			return (int)k;
	return -1;
}

/* Splits `name` (NUL-terminated, no spaces) into `parts`; how many, or
 * 6 when there are more than 5. */
static size_t split(const char *name, const char *parts[5], size_t lengths[5])
{
	size_t n = 0;
	const char *start = name;

	for (const char *c = name;; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		if (n == 5)
			return 6;
		parts[n] = start;
		lengths[n++] = (size_t)(c - start);
		if (*c == '\0')
			return n;
		start = c + 1;
	}
}

static char *copy_part(const char *part, size_t length)
{
	char *copy = malloc(length + 1);

	if (copy != NULL) {
		memcpy(copy, part, length);
		copy[length] = '\0';
	}
	return copy;
}

/* Checks `name` (one line, trimmed) and fills *entry; status with words. */
static enum runtime_config_status parse_name(const char *name, unsigned line,
                                             struct pkg_archive *entry,
                                             struct runtime_config_error *error)
{
	const char *parts[5];
	size_t lengths[5];
	size_t n = split(name, parts, lengths);
	int kind = n >= 2 ? kind_of(parts[1], lengths[1]) : -1;
	size_t expected = kind == PKG_ARCHIVE_BIN ? 5 : 4;

	if (kind < 0 || n != expected)
		return fail(error, RUNTIME_CONFIG_INVALID,
		            "line %u: \"%.*s\": expected %s", line,
		            PKG_ARCHIVE_NAME_MAX, name,
		            kind == PKG_ARCHIVE_BIN
		                    ? "user/bin/arch/name/version"
		                    : "user/{src,api,raw,pkg}/name/version");
	for (size_t i = 0; i < n; i++) {
		const char *problem = part_problem(parts[i], lengths[i]);
		if (problem)
			return fail(error, RUNTIME_CONFIG_INVALID,
			            "line %u: \"%.*s\": part \"%.*s\" %s", line,
			            PKG_ARCHIVE_NAME_MAX, name, (int)lengths[i],
			            parts[i], problem);
	}
	entry->kind = (enum pkg_archive_kind)kind;
	entry->line = line;
	entry->user = copy_part(parts[0], lengths[0]);
	entry->arch = kind == PKG_ARCHIVE_BIN ? copy_part(parts[2], lengths[2])
	                                      : NULL;
	entry->name = copy_part(parts[n - 2], lengths[n - 2]);
	entry->version = copy_part(parts[n - 1], lengths[n - 1]);
	entry->text = strdup(name);
	if (!entry->user || (kind == PKG_ARCHIVE_BIN && !entry->arch) ||
	    !entry->name || !entry->version || !entry->text)
		return fail(error, RUNTIME_CONFIG_NO_MEMORY, "out of memory");
	return RUNTIME_CONFIG_OK;
}

#ifdef RUNTIME_INVARIANTS
/* The header's invariant of one parsed entry: every part valid, arch
 * exactly for bin, text the parts joined by '/'. Checked in the builds
 * with invariants (runtime/invariant.h) with a plain assert: libformat
 * does not link libruntime, which INVARIANT reports through. */
static bool entry_ok(const struct pkg_archive *e)
{
	char joined[PKG_ARCHIVE_NAME_MAX + 1];
	const char *parts[] = { e->user, e->name, e->version, e->arch };
	size_t n = e->kind == PKG_ARCHIVE_BIN ? 4 : 3;
	if ((e->kind == PKG_ARCHIVE_BIN) != (e->arch != NULL) || !e->text)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!parts[i] || part_problem(parts[i], strlen(parts[i])))
			return false;
	snprintf(joined, sizeof(joined), "%s/%s%s%s/%s/%s", e->user,
	         kind_names[e->kind], e->arch ? "/" : "",
	         e->arch ? e->arch : "", e->name, e->version);
	return strcmp(joined, e->text) == 0;
}
#endif

/* The line from *cursor to the next '\n' or `end`, trimmed, into `line`;
 * false when it is longer than the buffer. Moves *cursor past it. */
static bool next_line(const char **cursor, const char *end, char *line,
                      size_t size)
{
	const char *start = *cursor;
	const char *stop = memchr(start, '\n', (size_t)(end - start));

	if (stop == NULL)
		stop = end;
	*cursor = stop < end ? stop + 1 : end;
	while (start < stop && isspace((unsigned char)*start))
		start++;
	while (stop > start && isspace((unsigned char)stop[-1]))
		stop--;
	if ((size_t)(stop - start) >= size)
		return false;
	memcpy(line, start, (size_t)(stop - start));
	line[stop - start] = '\0';
	return true;
}

static enum runtime_config_status parse_lines(
	const char *text, size_t length, struct pkg_archives *list,
	struct runtime_config_error *error)
{
	const char *cursor = text;
	const char *end = text + length;
	char line[PKG_ARCHIVE_NAME_MAX + 1];
	unsigned number = 0;

	while (cursor < end) {
		number++;
		if (!next_line(&cursor, end, line, sizeof(line)))
			return fail(error, RUNTIME_CONFIG_INVALID,
			            "line %u: longer than %d bytes", number,
			            PKG_ARCHIVE_NAME_MAX);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (list->count == PKG_ARCHIVES_MAX)
			return fail(error, RUNTIME_CONFIG_INVALID,
			            "line %u: more than %d archives", number,
			            PKG_ARCHIVES_MAX);
		enum runtime_config_status status =
			parse_name(line, number, &list->entries[list->count++],
		                   error);
		if (status)
			return status;
#ifdef RUNTIME_INVARIANTS
		assert(entry_ok(&list->entries[list->count - 1]));
#endif
	}
	return RUNTIME_CONFIG_OK;
}

enum runtime_config_status pkg_archives_parse(
	const char *text, size_t length, struct pkg_archives **out,
	struct runtime_config_error *error)
{
	struct pkg_archives *list = NULL;
	enum runtime_config_status status;

	if (out != NULL)
		*out = NULL;
	error->message[0] = '\0';
	if (length > PKG_ARCHIVES_INPUT_MAX)
		return fail(error, RUNTIME_CONFIG_INVALID,
		            "longer than %d bytes", PKG_ARCHIVES_INPUT_MAX);
	if (memchr(text, '\0', length) != NULL)
		return fail(error, RUNTIME_CONFIG_INVALID,
		            "contains a NUL byte");
	list = calloc(1, sizeof(*list));
	if (list != NULL)
		list->entries = calloc(PKG_ARCHIVES_MAX,
		                       sizeof(*list->entries));
	if (list == NULL || list->entries == NULL) {
		pkg_archives_free(list);
		return fail(error, RUNTIME_CONFIG_NO_MEMORY, "out of memory");
	}
	status = parse_lines(text, length, list, error);
	if (status != RUNTIME_CONFIG_OK || out == NULL)
		pkg_archives_free(list);
	else
		*out = list;
	return status;
}

void pkg_archives_free(struct pkg_archives *archives)
{
	if (archives == NULL)
		return;
	for (size_t i = 0; archives->entries && i < archives->count; i++) {
		struct pkg_archive *entry = &archives->entries[i];
		free(entry->user);
		free(entry->arch);
		free(entry->name);
		free(entry->version);
		free(entry->text);
	}
	free(archives->entries);
	free(archives);
}

/* The name init searches for `entry`, into `name`; false when it is left
 * out of the search. */
static bool searched_name(const struct pkg_archive *entry, const char *arch,
                          char *name, size_t size)
{
	switch (entry->kind) {
	case PKG_ARCHIVE_SRC:
		snprintf(name, size, "%s/bin/%s/%s/%s", entry->user, arch,
		         entry->name, entry->version);
		return true;
	case PKG_ARCHIVE_BIN:
		if (strcmp(entry->arch, arch) != 0)
			return false;
		snprintf(name, size, "%s", entry->text);
		return true;
	case PKG_ARCHIVE_RAW:
		snprintf(name, size, "%s", entry->text);
		return true;
	case PKG_ARCHIVE_API:
	case PKG_ARCHIVE_PKG:
		return false;
	}
	return false;
}

/* Drops from `list` every name an earlier one equals, keeping the order
 * (sorted once, not a scan per name: the list comes from a pkg). */
static bool drop_repeated(struct runtime_name_list *list)
{
	bool *repeated = malloc((list->count ? list->count : 1) *
	                        sizeof(*repeated));
	size_t kept = 0;

	if (repeated == NULL ||
	    !parse_names_repeated(list->names, list->count, repeated)) {
		free(repeated);
		return false;
	}
	for (size_t i = 0; i < list->count; i++) {
		if (repeated[i])
			free(list->names[i]);
		else
			list->names[kept++] = list->names[i];
	}
	list->count = kept;
	list->names[kept] = NULL;
	free(repeated);
	return true;
}

enum runtime_config_status pkg_archives_search_list(
	const struct pkg_archives *archives, const char *arch,
	struct runtime_name_list *out)
{
	char name[PKG_ARCHIVE_NAME_MAX + 1 + PKG_ARCHIVE_PART_MAX];

	memset(out, 0, sizeof(*out));
	out->names = calloc(archives->count + 1, sizeof(*out->names));
	if (out->names == NULL)
		return RUNTIME_CONFIG_NO_MEMORY;
	for (size_t i = 0; i < archives->count; i++) {
		if (!searched_name(&archives->entries[i], arch, name,
		                   sizeof(name)))
			continue;
		out->names[out->count] = strdup(name);
		if (out->names[out->count] == NULL) {
			runtime_name_list_clear(out);
			return RUNTIME_CONFIG_NO_MEMORY;
		}
		out->count++;
	}
	if (!drop_repeated(out)) {
		runtime_name_list_clear(out);
		return RUNTIME_CONFIG_NO_MEMORY;
	}
	return RUNTIME_CONFIG_OK;
}
