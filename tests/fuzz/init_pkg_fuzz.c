/*
 * libFuzzer target of what init reads about a pkg (runtime/init/pkg_table.c
 * over libformat): any bytes go in as core's index of an archive, as a
 * pkg's archives file and as its runtime file. Each parser must refuse
 * them with a message or hand out a model whose invariants hold: every
 * file of an index is a ROM name, a table searches one index per archive,
 * a ROM resolves only to one of its archives. Built in the fuzz variant
 * (tests/unit/init/module.mk); the fuzz suite decides how long it runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg_table.h"

static void check_index(const char *text, size_t size)
{
	struct pkg_index index;
	char error[PKG_PROBLEM_MAX];

	if (pkg_index_parse(text, size, &index, error, sizeof(error)) != 0) {
		if (error[0] == '\0')
			abort();
		return;
	}
	for (size_t i = 0; i < index.files.count; i++)
		if (!pkg_rom_name_is_valid(index.files.names[i]))
			abort();
	pkg_index_clear(&index);
}

static void check_table(const char *text, size_t size)
{
	static const char runtime[] =
		"{\"binary\": \"b\", \"ram\": 1, \"caps\": 1}";
	char error[PKG_PROBLEM_MAX];
	struct pkg_table *table = pkg_table_new("u/pkg/p/1", runtime,
	                                        strlen(runtime), text, size,
	                                        "x86_64", error, sizeof(error));

	if (!table)
		return;
	for (size_t i = 0; i < table->archives.count; i++)
		pkg_index_parse(text, size, &table->indexes[i], error,
		                sizeof(error));
	const char *archive = pkg_table_find(table, "b");
	if (archive && !runtime_name_list_has(&table->archives, archive))
		abort();
	pkg_table_ready(table, error, sizeof(error));
	pkg_table_free(table);
	/* the same bytes as a runtime file */
	table = pkg_table_new("u/pkg/p/1", text, size, "u/src/b/1\n", 10,
	                      "x86_64", error, sizeof(error));
	pkg_table_free(table);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_index((const char *)data, size);
	check_table((const char *)data, size);
	return 0;
}
