/*
 * Depot ROMs on riscv (depot_rom.h): the files of depot archives that the
 * boot image carries, module ARCHIVE/FILE for file FILE of archive
 * ARCHIVE (boot_module_name.h), assembled on the host from installed,
 * verified archives (tests/riscv-scenarios/qemu-riscv64.sh, rv_image).
 * A ROM request with rom_from="depot" and archive="A" for NAME gets
 * module A/NAME, served like any boot module: the kernel's sealed memory
 * object over the module's own frames, not copied. The depot-index ROM
 * of A lists the modules A/FILE in image order (`installed`), or says
 * `missing` when the image has none.
 *
 * An archive pushed over the control channel while the system runs
 * (pushed_archives.h) is served the same way from the sealed memory
 * objects core made of it, after checking each file's SHA-256 against
 * the host's digest as it came (control_archive.c): a pushed archive
 * crossed no image the machine trusts from its start. An archive is in
 * the image or pushed, never both (a push of one the image holds is
 * refused: versions are immutable).
 *
 * What linux core checks on every read (the manifest, each file's
 * SHA-256) has no counterpart here: the boot image is immutable and is
 * what the machine trusts from its first instruction on (core itself is
 * a module of it), so the host checks the archives when it makes the
 * image (`depot verify`), and nothing on the target can change them.
 * So no archive is ever `damaged` here; an archive with no top-level
 * file is `missing` (the image holds files, not directories).
 */
#include "depot_rom.h"

#include "archive_name.h"
#include "boot_module_name.h"
#include "boot_modules.h"
#include "depot_index_rom.h"
#include "manifest.h"
#include "pushed_archives.h"

#include "../../kernel/riscv/bootimage.h"

#include <runtime/str.h>

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* File `name` of a pushed archive: a copy of its memory object. */
static enum depot_rom_status pushed_read(const struct pushed_archive *a,
                                         const char *name, kcap_t *mem,
                                         size_t *size, char *why,
                                         size_t why_size)
{
	for (unsigned i = 0; i < a->count; i++) {
		if (strcmp(a->files[i].name, name) != 0)
			continue;
		if (kcap_copy(a->files[i].mem, mem) != 0) {
			str_copy(why, "core is out of memory", why_size);
			return DEPOT_ROM_NO_MEMORY;
		}
		*size = a->files[i].size;
		return DEPOT_ROM_OK;
	}
	str_format(why, why_size, "archive %s has no file '%s'", a->name, name);
	return DEPOT_ROM_MISSING;
}

enum depot_rom_status depot_rom_read(struct target *t, const char *archive,
                                     const char *name, kcap_t *mem,
                                     size_t *size, char *why, size_t why_size)
{
	(void)t;
	const struct pushed_archive *pushed = pushed_archives_find(archive);
	if (pushed)
		return pushed_read(pushed, name, mem, size, why, why_size);
	char module[BOOT_MODULE_NAME_MAX];
	size_t bytes = 0;
	boot_module_depot_name(archive, name, module);
	unsigned index = boot_module_find(module, &bytes);
	if (!index) {
		/* linux's words: the same reason whatever the platform */
		if (boot_modules_of_archive(archive))
			str_format(why, why_size, "archive %s has no file '%s'",
			           archive, name);
		else
			str_format(why, why_size,
			           "archive %s is not in the boot image, nor "
			           "pushed: install it in the depot the image "
			           "is made of, or push it (tests/riscv/"
			           "push-archive)",
			           archive);
		return DEPOT_ROM_MISSING;
	}
	int rc = boot_module_mem(index, mem);
	if (rc == KERR_NOMEM) {
		str_copy(why, "core is out of memory", why_size);
		return DEPOT_ROM_NO_MEMORY;
	}
	if (rc != 0) {
		str_format(why, why_size, "archive %s: module '%s' unreadable",
		           archive, module);
		return DEPOT_ROM_MISSING;
	}
	*size = bytes;
	return DEPOT_ROM_OK;
}

/* The image is made from a depot on the host: the archive goes into it
 * with the pkg that lists it, as `depot download` installs a pkg's closure
 * for riscv64 (tests/riscv-scenarios/qemu-riscv64.sh, rv_image). */
void depot_rom_install_hint(const struct target *t, const char *pkg, char *out,
                            size_t out_size)
{
	(void)t;
	str_format(out, out_size,
	           "in the boot image: install it with 'depot --depot DEPOT "
	           "download --arch " ARCHIVE_ARCH " --mirror URL %s' into the "
	           "depot the image is made of",
	           pkg);
}

/* The files of `archive`, pushed or in the image, as the index lists
 * them (the names stay valid: neither ever changes). */
static size_t archive_files(const char *archive,
                            struct manifest_file files[BOOT_MAX_MODULES])
{
	size_t count = 0;
	const struct pushed_archive *pushed = pushed_archives_find(archive);
	if (pushed) {
		static_assert(PUSHED_ARCHIVE_FILES_MAX <= BOOT_MAX_MODULES,
		              "a pushed archive's files fit the index's list");
		for (; count < pushed->count; count++)
			files[count] = (struct manifest_file){
				pushed->files[count].name, ""
			};
		return count;
	}
	for (unsigned i = 1; boot_module_name(i); i++) {
		const char *file = boot_module_file_of(boot_module_name(i),
		                                       archive);
		if (file)
			files[count++] = (struct manifest_file){ file, "" };
	}
	return count;
}

enum depot_rom_status depot_rom_index(struct target *t, const char *archive,
                                      kcap_t *mem, size_t *size)
{
	(void)t;
	struct manifest_file files[BOOT_MAX_MODULES];
	struct manifest m = { .files = files,
		              .count = archive_files(archive, files) };
	return depot_index_rom(m.count ? DEPOT_INDEX_INSTALLED
	                               : DEPOT_INDEX_MISSING,
	                       "", &m, mem, size) == 0
	               ? DEPOT_ROM_OK
	               : DEPOT_ROM_NO_MEMORY;
}
