/*
 * Parsing of the extraction limit options (see extract_limits.h).
 */
#include "extract_limits.h"

int limits_option(int opt, const char *arg, struct depot_limits *limits)
{
	uint64_t value;
	if (opt != OPT_MAX_BYTES && opt != OPT_MAX_ENTRIES)
		return 0;
	if (tool_parse_u64(arg, &value) || value == 0)
		return -1;
	if (opt == OPT_MAX_BYTES)
		limits->max_bytes = value;
	else
		limits->max_entries = value;
	return 1;
}
