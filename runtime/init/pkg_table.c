/*
 * A pkg as init sees it (pkg_table.h): its runtime file, its search list of
 * archives and their indexes, and the two questions init asks of them:
 * which archive holds a ROM, and can the pkg start. Pure; the texts come
 * from core through init_pkg.c and are hostile until parsed here: every
 * length is bounded and every name checked.
 */
#include "pkg_table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/grow.h>
#include <runtime/invariant.h>

static int failed(char *error, size_t size, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static int failed(char *error, size_t size, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(error, size, format, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start just above
	va_end(args);
	return -1;
}

bool pkg_rom_name_is_valid(const char *name)
{
	size_t length = strnlen(name, RUNTIME_ROM_NAME_MAX + 1);

	if (length == 0 || length > RUNTIME_ROM_NAME_MAX || name[0] == '.')
		return false;
	return strspn(name,
	              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	              "0123456789_.-") == length;
}

/* The first line of an index into index->state (and why). */
static int parse_state(const char *line, size_t length, struct pkg_index *index,
                       char *error, size_t size)
{
	if (length == 9 && !memcmp(line, "installed", 9))
		index->state = PKG_INDEX_INSTALLED;
	else if (length == 7 && !memcmp(line, "missing", 7))
		index->state = PKG_INDEX_MISSING;
	else if (length >= 7 && !memcmp(line, "damaged", 7) &&
	         (length == 7 || line[7] == ' ')) {
		index->state = PKG_INDEX_DAMAGED;
		snprintf(index->why, sizeof(index->why), "%.*s",
		         length > 8 ? (int)(length - 8) : 0, line + 8);
	} else
		return failed(
			error, size,
			"an index that starts with neither \"installed\", "
			"\"missing\" nor \"damaged\"");
	return 0;
}

static int add_file(struct pkg_index *index, const char *line, size_t length,
                    size_t *room)
{
	char name[RUNTIME_ROM_NAME_MAX + 1];

	if (length > RUNTIME_ROM_NAME_MAX)
		return 0;
	memcpy(name, line, length);
	name[length] = '\0';
	if (!pkg_rom_name_is_valid(name))
		return 0;
	char **names = grow_array(index->files.names, room,
	                          index->files.count + 1, sizeof(*names));
	if (!names)
		return -1;
	index->files.names = names;
	index->files.names[index->files.count] = strdup(name);
	if (!index->files.names[index->files.count])
		return -1;
	index->files.count++;
	return 0;
}

/* strcmp order of two file names, for qsort and bsearch. */
static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* For INVARIANT: the header's invariant of one index (ROM names only,
 * in strcmp order); a walk over the index. */
static bool index_ok(const struct pkg_index *index)
{
	for (size_t i = 0; i < index->files.count; i++)
		if (!pkg_rom_name_is_valid(index->files.names[i]) ||
		    (i > 0 && compare_names(&index->files.names[i - 1],
		                            &index->files.names[i]) > 0))
			return false;
	return true;
}

int pkg_index_parse(const char *text, size_t length, struct pkg_index *out,
                    char *error, size_t size)
{
	const char *end = text + length;
	size_t room = 0;

	memset(out, 0, sizeof(*out));
	if (length > PKG_INDEX_MAX)
		return failed(error, size, "an index longer than %d bytes",
		              PKG_INDEX_MAX);
	if (memchr(text, '\0', length))
		return failed(error, size, "an index with a NUL byte");
	for (const char *line = text; line < end;) {
		const char *stop = memchr(line, '\n', (size_t)(end - line));
		size_t line_length = (size_t)((stop ? stop : end) - line);
		int status = line == text
		                     ? parse_state(line, line_length, out,
		                                   error, size)
		                     : add_file(out, line, line_length, &room);
		if (status) {
			if (line != text)
				failed(error, size,
				       "out of memory for an index");
			pkg_index_clear(out);
			return -1;
		}
		line = stop ? stop + 1 : end;
	}
	if (length == 0)
		return failed(error, size, "an empty index");
	if (out->files.count > 1)
		qsort(out->files.names, out->files.count,
		      sizeof(*out->files.names), compare_names);
	INVARIANT(index_ok(out));
	return 0;
}

/* Whether the sorted `index` lists `rom`: a binary search, so that a
 * hostile pkg of many archives with large indexes costs a logarithm per
 * archive and ROM, not a scan of every name. */
static bool index_lists(const struct pkg_index *index, const char *rom)
{
	return index->files.count > 0 &&
	       bsearch(&rom, index->files.names, index->files.count,
	               sizeof(*index->files.names), compare_names) != NULL;
}

void pkg_index_clear(struct pkg_index *index)
{
	runtime_name_list_clear(&index->files);
	memset(index, 0, sizeof(*index));
}

/* Parses the two files into `table` and makes its indexes; 0 or -1. */
static int fill(struct pkg_table *table, const char *runtime,
                size_t runtime_length, const char *archives,
                size_t archives_length, const char *arch, char *error,
                size_t size)
{
	struct pkg_archives *list = NULL;
	struct runtime_config_error why;

	if (pkg_runtime_parse(runtime, runtime_length, &table->runtime, &why))
		return failed(error, size, "its runtime file is invalid: %s",
		              why.message);
	if (pkg_archives_parse(archives, archives_length, &list, &why))
		return failed(error, size, "its archives file is invalid: %s",
		              why.message);
	if (pkg_archives_search_list(list, arch, &table->archives) ==
	    RUNTIME_CONFIG_OK)
		table->indexes = calloc(table->archives.count + 1,
		                        sizeof(*table->indexes));
	pkg_archives_free(list);
	return table->indexes
	               ? 0
	               : failed(error, size, "out of memory for its archives");
}

struct pkg_table *pkg_table_new(const char *pkg, const char *runtime,
                                size_t runtime_length, const char *archives,
                                size_t archives_length, const char *arch,
                                char *error, size_t size)
{
	struct pkg_table *table = calloc(1, sizeof(*table));

	if (!table || !(table->pkg = strdup(pkg))) {
		failed(error, size, "out of memory");
		pkg_table_free(table);
		return NULL;
	}
	if (fill(table, runtime, runtime_length, archives, archives_length,
	         arch, error, size)) {
		pkg_table_free(table);
		return NULL;
	}
	return table;
}

void pkg_table_free(struct pkg_table *table)
{
	if (!table)
		return;
	for (size_t i = 0; table->indexes && i < table->archives.count; i++)
		pkg_index_clear(&table->indexes[i]);
	free(table->indexes);
	runtime_name_list_clear(&table->archives);
	pkg_runtime_free(table->runtime);
	free(table->pkg);
	free(table);
}

const char *pkg_table_find(const struct pkg_table *table, const char *rom)
{
	for (size_t i = 0; i < table->archives.count; i++)
		if (table->indexes[i].state == PKG_INDEX_INSTALLED &&
		    index_lists(&table->indexes[i], rom))
			return table->archives.names[i];
	return NULL;
}

/* Whether `rom` is in an archive; else the problem in words. */
static bool found(const struct pkg_table *table, const char *what,
                  const char *rom, char *problem, size_t size)
{
	if (pkg_table_find(table, rom))
		return true;
	snprintf(problem, size,
	         "%s \"%s\" is in none of pkg %s's archives (%zu searched, "
	         "the pkg or its archives are incomplete)",
	         what, rom, table->pkg, table->archives.count);
	return false;
}

bool pkg_index_usable(const struct pkg_index *index, const char *archive,
                      const char *pkg, char *problem, size_t size)
{
	if (index->state == PKG_INDEX_MISSING) {
		snprintf(problem, size,
		         "archive %s is missing: install it with "
		         "'depot --depot TARGET/depot download %s'",
		         archive, pkg);
		return false;
	}
	if (index->state == PKG_INDEX_DAMAGED) {
		snprintf(
			problem, size,
			"archive %s is damaged (%s): remove "
			"TARGET/depot/%s and its .manifest, then install it again with "
			"'depot --depot TARGET/depot download %s'",
			archive, index->why, archive, pkg);
		return false;
	}
	return true;
}

bool pkg_table_ready(const struct pkg_table *table, char *problem, size_t size)
{
	for (size_t i = 0; i < table->archives.count; i++)
		INVARIANT(index_ok(&table->indexes[i]));
	for (size_t i = 0; i < table->archives.count; i++)
		if (!pkg_index_usable(&table->indexes[i],
		                      table->archives.names[i], table->pkg,
		                      problem, size))
			return false;
	if (!found(table, "its binary", table->runtime->binary, problem, size))
		return false;
	for (size_t i = 0; i < table->runtime->roms.count; i++)
		if (!found(table, "ROM", table->runtime->roms.names[i], problem,
		           size))
			return false;
	return true;
}
