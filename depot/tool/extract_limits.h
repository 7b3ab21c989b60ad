/*
 * Options shared by the subcommands that extract archives (extract,
 * fetch, download): the byte budget and entry limit against
 * decompression bombs, as rows of their option tables (options.h).
 */
#ifndef DEPOT_TOOL_LIMITS_H
#define DEPOT_TOOL_LIMITS_H

#include <stdint.h>

#include "options.h"

/* Two option rows that set the fields of a struct depot_limits. */
#define LIMIT_ROWS(limits) \
	OPTION_NUMBER_ROW("max-bytes", 0, "N", "refuse archives whose content " \
	                  "exceeds\nN bytes (1073741824)", \
	                  &(limits)->max_bytes, 1, UINT64_MAX), \
	OPTION_NUMBER_ROW("max-entries", 0, "N", "refuse archives with more " \
	                  "than N\nentries (100000)", \
	                  &(limits)->max_entries, 1, UINT64_MAX)

#endif
