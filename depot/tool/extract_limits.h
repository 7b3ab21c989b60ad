/*
 * Options shared by the subcommands that extract archives (extract,
 * fetch): the byte budget and entry limit against decompression bombs.
 */
#ifndef DEPOT_TOOL_LIMITS_H
#define DEPOT_TOOL_LIMITS_H

#include "tool.h"

enum { OPT_MAX_BYTES = 1000, OPT_MAX_ENTRIES };

#define LIMIT_OPTIONS \
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES }, \
	{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES }

#define LIMIT_USAGE \
	"  --max-bytes N    refuse archives whose content exceeds N bytes\n" \
	"                   (default 1073741824)\n" \
	"  --max-entries N  refuse archives with more than N entries\n" \
	"                   (default 100000)\n"

/* Applies option `opt` if it is a limit option: 1 applied, 0 not a limit
 * option, -1 invalid value. */
int limits_option(int opt, const char *arg, struct depot_limits *limits);

#endif
