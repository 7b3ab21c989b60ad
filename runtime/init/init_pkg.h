/*
 * The pkgs init runs (runtime/init/README.md, "Pkg children"): for a start
 * entry naming user/pkg/name/version, init reads through its parent (core's
 * ROM service, session arguments rom_from and archive) the pkg archive's
 * index, its `runtime` and `archives` files and the index of every archive
 * it searches, and keeps the result (pkg_table.h) while a child of that
 * pkg may run: versions are immutable, so a table read once stays true. A
 * pkg that cannot be read (an archive missing or damaged, a bad file) is
 * remembered with the reason only until the config has been applied, so
 * the next applied config reads it again.
 *
 * Runs on init's entrypoint thread only (reconfiguration and routing).
 */
#ifndef INIT_INIT_PKG_H
#define INIT_INIT_PKG_H

#include <stddef.h>

#include <format/runtime_config.h>
#include <runtime/env.h>

#include "pkg_table.h"

struct init_pkg; /* one pkg: its table, or why there is none */

struct init_pkgs {
	struct init_pkg **pkgs;
	size_t count, capacity; /* pkgs holds room for capacity */
};

/* The table of `pkg`, read now if it is not known yet; NULL with the
 * reason in *reason (valid until init_pkgs_settle) when it cannot be read. */
const struct pkg_table *init_pkgs_get(struct init_pkgs *pkgs, env_t *env,
                                      const char *pkg, const char **reason);

/* The table of `pkg` if it is known and readable, without reading; NULL
 * with the reason (or "not read yet") otherwise. */
const struct pkg_table *init_pkgs_find(const struct init_pkgs *pkgs,
                                       const char *pkg, const char **reason);

/* After a config was applied or refused: forgets the pkgs that could not
 * be read (read again next time) and those no entry of `config` names. */
void init_pkgs_settle(struct init_pkgs *pkgs,
                      const struct runtime_config *config);

/* The argument string of a ROM session for file `name` of `archive`:
 * rom_from="depot", archive="<archive>". false when it does not fit. */
bool init_pkg_rom_args(const char *archive, char *args, size_t size);

#endif
