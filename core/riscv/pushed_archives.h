/*
 * Depot archives pushed over the control channel (control_archive.c)
 * while the system runs, each checked whole before it comes here: its
 * files, each a sealed memory object of core's, which core serves for
 * rom_from="depot" as it serves the boot image's (depot_modules.c).
 * Archive versions are immutable, as in a depot: an archive is added
 * once and kept for core's life, never replaced or removed, so a name or
 * file this table hands out stays valid. The control thread adds; the
 * entrypoint reads; a lock keeps the two apart.
 */
#ifndef CORE_RISCV_PUSHED_ARCHIVES_H
#define CORE_RISCV_PUSHED_ARCHIVES_H

#include "archive_name.h"
#include "core_platform.h"

#include <kernel/kernel.h>

#include <stddef.h>

/* Bounds on what a host may leave in core: archives, files of each, and
 * the bytes of all (core's memory; an archive of the project's is one to
 * three files of at most a few hundred KiB). */
#define PUSHED_ARCHIVES_MAX 16
#define PUSHED_ARCHIVE_FILES_MAX 16
#define PUSHED_ARCHIVES_BYTES_MAX ((uint64_t)16 << 20)

struct pushed_file {
	char name[TARGET_NAME_MAX + 1];
	kcap_t mem; /* sealed */
	size_t size;
};

struct pushed_archive {
	char name[ARCHIVE_NAME_MAX + 1];
	unsigned count;
	struct pushed_file files[PUSHED_ARCHIVE_FILES_MAX];
};

/* The bytes the table may still take: 0 once it holds
 * PUSHED_ARCHIVES_MAX archives. */
uint64_t pushed_archives_room(void);

/* Takes `a` (names checked, files sealed, distinct names, its bytes
 * within pushed_archives_room()) into the table. 0, or KERR_NOMEM when
 * PUSHED_ARCHIVES_MAX are there (`a` stays the caller's). */
int pushed_archives_put(const struct pushed_archive *a);

/* The pushed archive of that name, or NULL. What it points to never
 * changes once put. */
const struct pushed_archive *pushed_archives_find(const char *archive);

#endif
