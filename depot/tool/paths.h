/*
 * Where the depot tool keeps things when the command line does not say:
 * the depot and the signing keys live in the user's data and config
 * directories (XDG base directories), never in the current directory or
 * a source tree, where a stray `depot create` would leave archives, and a
 * publish would look for secrets, beside the next `git add -A`.
 */
#ifndef DEPOT_TOOL_PATHS_H
#define DEPOT_TOOL_PATHS_H

#include <stddef.h>

/* The default depot: $DEPOT_DIR, else $XDG_DATA_HOME/depot, else
 * $HOME/.local/share/depot. 0, or -1 when none can be named (no HOME). */
int paths_default_depot(char *out, size_t size);

/* The default keys directory: $DEPOT_KEYS, else $XDG_CONFIG_HOME/depot/keys,
 * else $HOME/.config/depot/keys. 0, or -1 when none can be named. */
int paths_default_keys(char *out, size_t size);

#endif
