/*
 * Options shared by the subcommands that download (fetch, download): the
 * mirrors, tried in order, and the CA file, as rows of their option
 * tables (options.h) that fill a struct depot_fetch_options.
 */
#ifndef DEPOT_TOOL_TRANSFER_H
#define DEPOT_TOOL_TRANSFER_H

#include "options.h"

enum { MIRRORS_MAX = 16 };

/* Two option rows: --mirror appends to `mirrors` (MIRRORS_MAX entries),
 * counted in fetch->mirror_count; --ca-file sets fetch->ca_file. */
#define TRANSFER_ROWS(mirrors, fetch) \
	OPTION_LIST_ROW("mirror", "URL", "a base URL (http:// or https://);\n" \
	                "repeat to give fallbacks, tried in order", (mirrors), \
	                &(fetch)->mirror_count, MIRRORS_MAX), \
	OPTION_TEXT_ROW("ca-file", "FILE", "trust the CA certificates in FILE\n" \
	                "instead of the system's", &(fetch)->ca_file)

#endif
