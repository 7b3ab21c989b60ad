/*
 * Files of the target's depot as ROMs (core/README.md, "Depot ROMs"):
 * DIR/depot/ is a client depot as `depot download` installs it, each
 * archive extracted at DIR/depot/<archive>/ beside its manifest
 * DIR/depot/<archive>.manifest (manifest.h).
 *
 * Every file is opened beneath the descriptor of DIR/depot/ with openat2
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_XDEV, so neither a name nor a link on disk leads outside the
 * depot; a served file must be regular, listed in the manifest as a
 * top-level file, and its SHA-256, computed while it is copied into the
 * sealed memory object, must equal the manifest's. What a client gets is
 * that copy: replacing the file on disk later changes nothing it holds.
 *
 * A damaged archive (a listed file absent, not regular, or of other
 * content; a malformed manifest) is logged once per refusal with the
 * command that installs it anew. Callers check the archive name first
 * (archive_name.h) and the file name (target_module_name_ok).
 */
#ifndef CORE_DEPOT_ROM_H
#define CORE_DEPOT_ROM_H

#include "core_platform.h"

#include <stddef.h>

enum depot_rom_status {
	DEPOT_ROM_OK,
	DEPOT_ROM_MISSING, /* no such archive, or it lists no such file */
	DEPOT_ROM_DAMAGED, /* see above; logged */
	DEPOT_ROM_NO_MEMORY,
};

/* Reads file `name` of installed archive `archive` into a new sealed
 * memory object. On failure, why[why_size] says why in words a person
 * can act on. */
enum depot_rom_status depot_rom_read(struct target *t, const char *archive,
                                     const char *name, kcap_t *mem,
                                     size_t *size, char *why, size_t why_size);

/* Makes the depot-index ROM of `archive` (depot_index.h) after checking
 * every top-level file its manifest lists. DEPOT_ROM_OK or
 * DEPOT_ROM_NO_MEMORY: a missing or damaged archive is content. */
enum depot_rom_status depot_rom_index(struct target *t, const char *archive,
                                      kcap_t *mem, size_t *size);

/* Where an archive that is not there should be, and the command that
 * puts it there with pkg `pkg`, into out[out_size], to end a sentence
 * "archive A is not ...": "installed in DIR/depot: install it with
 * 'depot --depot DIR/depot download --mirror URL PKG'" on linux. */
void depot_rom_install_hint(const struct target *t, const char *pkg, char *out,
                            size_t out_size);

#endif
