/*
 * The depot tool's default places (paths.h). The tool's own environment
 * variable wins, then the XDG base directory, then its fallback under
 * $HOME. An empty variable counts as unset and a relative XDG value is
 * ignored, as the XDG base directory specification says.
 */
#include <stdio.h>
#include <stdlib.h>

#include "paths.h"

static const char *set(const char *name)
{
	const char *value = getenv(name);
	return value && value[0] ? value : NULL;
}

static int place(char *out, size_t size, const char *own, const char *xdg,
                 const char *home_fallback, const char *below)
{
	const char *value = set(own);
	int n;
	if (value)
		n = snprintf(out, size, "%s", value);
	else if ((value = set(xdg)) && value[0] == '/')
		n = snprintf(out, size, "%s/%s", value, below);
	else if ((value = set("HOME")))
		n = snprintf(out, size, "%s/%s/%s", value, home_fallback,
		             below);
	else
		return -1;
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int paths_default_depot(char *out, size_t size)
{
	return place(out, size, "DEPOT_DIR", "XDG_DATA_HOME", ".local/share",
	             "depot");
}

int paths_default_keys(char *out, size_t size)
{
	return place(out, size, "DEPOT_KEYS", "XDG_CONFIG_HOME", ".config",
	             "depot/keys");
}
