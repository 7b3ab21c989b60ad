/*
 * What init knows of one pkg it starts (runtime/init/README.md, "Pkg
 * children"): the pkg's runtime file, the archives a child of it may read
 * from (the search list of format/pkg_archives.h, in the pkg's order) and,
 * for each, the index core generates of it (ROM session argument
 * rom_from="depot-index"): whether it is installed, missing or damaged,
 * and its top-level files. From that: which archive holds a ROM (the first
 * in the list whose index names it) and whether the pkg can start at all.
 * Pure: built from texts, so it is tested without processes
 * (tests/unit/init/pkg_table_test.c); init_pkg.c reads the texts.
 *
 * Invariants of a table made by pkg_table_new: indexes has one entry per
 * name of archives, in the same order; every file name in an index is a
 * ROM name (pkg_rom_name_is_valid), and an index's names are sorted
 * (strcmp), so a lookup is a binary search (asserted, INVARIANT, when an
 * index is parsed and when pkg_table_ready reads the table). The table
 * owns everything in it.
 */
#ifndef INIT_PKG_TABLE_H
#define INIT_PKG_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "format/pkg_archives.h"
#include "format/pkg_runtime.h"

#define PKG_INDEX_MAX 65536       /* bytes of an index (core's limit) */
#define PKG_PROBLEM_MAX 512       /* bytes of a reason, NUL included */

enum pkg_index_state {
	PKG_INDEX_MISSING, /* 0: what a zeroed index says */
	PKG_INDEX_INSTALLED,
	PKG_INDEX_DAMAGED,
};

struct pkg_index {
	enum pkg_index_state state;
	char why[160];                  /* DAMAGED: core's words */
	struct runtime_name_list files; /* ROM names only, in strcmp order */
};

struct pkg_table {
	char *pkg; /* user/pkg/name/version */
	struct pkg_runtime *runtime;
	struct runtime_name_list archives; /* the search list */
	struct pkg_index *indexes;         /* one per archive */
};

/* Whether `name` can name a ROM: [A-Za-z0-9_.-]+, at most
 * RUNTIME_ROM_NAME_MAX bytes, not starting with '.'. */
bool pkg_rom_name_is_valid(const char *name);

/*
 * Reads an index (`length` bytes): the first line "installed", "missing"
 * or "damaged <why>", then one file name per line. Lines that are no ROM
 * name are skipped (no label can ask for them). 0, or -1 with the reason
 * in error[size] (too long, a NUL byte, an unknown first line, no memory).
 */
int pkg_index_parse(const char *text, size_t length, struct pkg_index *out,
                    char *error, size_t size);
void pkg_index_clear(struct pkg_index *index);

/*
 * A table for `pkg` from its runtime and archives files, its search list
 * for bin archives of `arch`; the caller fills indexes[i] for each
 * archives.names[i] with pkg_index_parse (all MISSING until then). NULL
 * with the reason in error[size].
 */
struct pkg_table *pkg_table_new(const char *pkg, const char *runtime,
                                size_t runtime_length, const char *archives,
                                size_t archives_length, const char *arch,
                                char *error, size_t size);
void pkg_table_free(struct pkg_table *table);

/* Whether an archive of `pkg` with `index` can be read; false with the
 * problem in words as pkg_table_ready says it. */
bool pkg_index_usable(const struct pkg_index *index, const char *archive,
                      const char *pkg, char *problem, size_t size);

/* The archive whose index lists `rom` first, or NULL. */
const char *pkg_table_find(const struct pkg_table *table, const char *rom);

/*
 * Whether the pkg can start: every archive installed, its binary and every
 * ROM of its runtime file's "roms" in some archive. false with the first
 * problem in words, naming the archive and the command that installs it
 * ("archive A is missing: install it with 'depot --depot TARGET/depot
 * download P'"; TARGET stands for the target directory, which init does
 * not know).
 */
bool pkg_table_ready(const struct pkg_table *table, char *problem, size_t size);

#endif
