/*
 * A pkg's `runtime` file: the JSON document inside every pkg archive that
 * says what init needs to start the pkg's component (its binary, quota,
 * services and config). Both sides read it: the depot tool checks it before
 * it creates or installs a pkg archive, and init reads it when a start entry
 * of the runtime configuration names a pkg. This one header is the format's
 * C model; runtime/format/README.md ("The pkg runtime file") is its document.
 * Part of libformat, which depends only on cJSON, so host tools link it.
 *
 * Parsing is all or nothing, with libformat's rules for the JSON text (size
 * limit, no NUL, nesting limit, nothing after the value) and its messages:
 * pkg_runtime_parse returns either a complete model that satisfies every
 * invariant below, or an error message naming the field to fix.
 *
 * Invariants of a parsed model:
 *   - binary matches [A-Za-z0-9_.-]+, at most RUNTIME_ROM_NAME_MAX bytes,
 *     and is not "." or "..";
 *   - 1 <= ram <= RUNTIME_RAM_MAX and 1 <= caps <= RUNTIME_CAPS_MAX;
 *   - requires and provides hold distinct service names, at most
 *     RUNTIME_SERVICES_MAX each; roms holds distinct ROM names (the syntax
 *     of binary), at most PKG_RUNTIME_ROMS_MAX;
 *   - config, when present, is the canonical (unformatted) JSON text of an
 *     object, at most RUNTIME_CONFIG_TEXT_MAX bytes.
 * Every string and array is owned by the model; pkg_runtime_free frees them.
 */
#ifndef FORMAT_PKG_RUNTIME_H
#define FORMAT_PKG_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "format/runtime_config.h"

#define PKG_RUNTIME_ROMS_MAX 256 /* entries of "roms" */

struct pkg_runtime {
	char *binary; /* ROM name of the executable */
	uint64_t ram; /* bytes */
	uint64_t caps;
	char *config;                      /* canonical JSON text, or NULL */
	struct runtime_name_list requires; /* services the component needs */
	struct runtime_name_list provides; /* services it announces */
	struct runtime_name_list roms;     /* further ROMs it reads */
};

/*
 * Parses and validates `length` bytes of `text` (no NUL needed). On
 * RUNTIME_CONFIG_OK, *out is a new model for pkg_runtime_free; on any other
 * status (RUNTIME_CONFIG_BAD_JSON, _INVALID, _NO_MEMORY) *out is NULL and
 * error->message says what to fix. `out` may be NULL to only validate.
 */
enum runtime_config_status pkg_runtime_parse(
	const char *text, size_t length, struct pkg_runtime **out,
	struct runtime_config_error *error);

void pkg_runtime_free(struct pkg_runtime *runtime);

/*
 * The start entry `entry` (which names a pkg) merged with its pkg's runtime
 * file: the entry's own ram, caps, provides and config where it gives them
 * (ram_given, caps_given, provides_given, config not NULL), the runtime
 * file's otherwise; name, pkg, route and version are the entry's. Pure: a
 * host tool predicts with it exactly what init starts. *merged is a new
 * child (free its fields with runtime_child_clear) with the entry's binary,
 * usually NULL (the
 * executable is runtime->binary), every *_given set and the invariants of
 * a parsed child. RUNTIME_CONFIG_OK, or RUNTIME_CONFIG_NO_MEMORY (then
 * *merged is zeroed and error->message says so).
 * Precondition: entry->pkg is not NULL.
 */
enum runtime_config_status runtime_child_apply_pkg(
	const struct runtime_child *entry, const struct pkg_runtime *runtime,
	struct runtime_child *merged, struct runtime_config_error *error);

#endif
