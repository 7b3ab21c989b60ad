/*
 * The text of a `depot-index` ROM (core/README.md, "Depot ROMs"): what core
 * tells a client about one archive of the target's depot, so that init can
 * decide whether to start a pkg and which archive holds a file, without
 * reading the depot itself. One item per line, at most DEPOT_INDEX_MAX
 * bytes:
 *
 *     installed | missing | damaged <why, one line>
 *     <file name>      one line per top-level regular file, manifest order
 *
 * `missing` lists no files; `damaged` lists them when the manifest could
 * be read. A list that would not fit makes the archive `damaged` with
 * that reason (no archive the project ships comes near it). Pure: the
 * checks of the files are depot_rom.h's.
 */
#ifndef CORE_DEPOT_INDEX_H
#define CORE_DEPOT_INDEX_H

#include "manifest.h"

#include <stddef.h>

#define DEPOT_INDEX_MAX ((size_t)64 << 10)

enum depot_index_state {
	DEPOT_INDEX_INSTALLED,
	DEPOT_INDEX_MISSING,
	DEPOT_INDEX_DAMAGED,
};

/* Writes the index into out[DEPOT_INDEX_MAX] and returns its length.
 * `why` is used for DAMAGED only (control characters and newlines are
 * shown as '?'); `m` may be NULL (no files). */
size_t depot_index_text(enum depot_index_state state, const char *why,
                        const struct manifest *m, char *out);

#endif
