/*
 * Options shared by the subcommands that download (fetch, download): the
 * mirrors, tried in order, and the CA file, as rows of their option
 * tables (options.h) that fill a struct depot_fetch_options.
 */
#ifndef DEPOT_TOOL_TRANSFER_H
#define DEPOT_TOOL_TRANSFER_H

#include "options.h"

enum { MIRRORS_MAX = 16 };

/* Three option rows: --mirror appends to `mirrors` (MIRRORS_MAX entries),
 * counted in fetch->mirror_count; --ca-file sets fetch->ca_file;
 * --min-rate sets fetch->min_rate (the slow-retrieval deadline). */
#define TRANSFER_ROWS(mirrors, fetch) \
	OPTION_LIST_ROW("mirror", "URL", "a base URL (http:// or https://);\n" \
	                "repeat to give fallbacks, tried in order", (mirrors), \
	                &(fetch)->mirror_count, MIRRORS_MAX), \
	OPTION_TEXT_ROW("ca-file", "FILE", "trust the CA certificates in FILE\n" \
	                "instead of the system's", &(fetch)->ca_file), \
	OPTION_NUMBER_ROW("min-rate", 0, "BYTES", "the slowest average a "  \
	                  "transfer may have,\nin bytes/s (4096): each has "   \
	                  "until the connect\ntimeout + its length / BYTES, " \
	                  "then the\nnext mirror is tried", &(fetch)->min_rate, \
	                  1, 1000000000)

/* A depot_fetch_options.mirror_failed that prints why a mirror was left
 * (ctx unused). */
void transfer_mirror_failed(void *ctx, int code, const struct depot_diag *diag);

#endif
