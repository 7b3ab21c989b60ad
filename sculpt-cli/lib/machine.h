/*
 * What the running machine of a riscv target has of its depot:
 * TARGET/sculpt/machine, written by `sculpt boot --platform qemu-riscv64`
 * with the archives its boot image holds as depot ROMs (ARCHIVE/FILE
 * modules, core/riscv/depot_modules.c) and grown by each archive sculpt
 * pushed to it and core confirmed (target_archives.c). sculpt pushes an
 * archive only when the machine lacks it: core refuses a second push of
 * an archive (versions are immutable) and one the image holds.
 *
 * One line per archive, in the order they came:
 *
 *   image project/pkg/hello/2026-12-03c
 *   pushed project/bin/riscv64/hello/2026-12-03b 859512
 *
 * `pushed` lines carry the archive's bytes (its files together), which
 * the machine keeps for its life: core takes them from its reserve
 * (MACHINE_PUSHED_BYTES_MAX says why that bound).
 *
 * The file is the target's, so hostile input like any: at most
 * MACHINE_RECORD_MAX bytes, each line exactly one of the two forms with
 * single spaces and a newline, archive names as libdepot parses them and
 * of a kind core serves (bin, raw, pkg), no archive twice, at most
 * MACHINE_IMAGE_MAX image and MACHINE_PUSHED_MAX pushed lines, sizes
 * decimal and within the bound; anything else is refused with its line's
 * number, nothing taken from it.
 */
#ifndef SCULPT_MACHINE_H
#define SCULPT_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define MACHINE_RECORD "sculpt/machine"

/* A boot image's modules (kernel/riscv/bootimage.h BOOT_MAX_MODULES),
 * so at most that many archives in it. */
#define MACHINE_IMAGE_MAX 64u
/* core/riscv/pushed_archives.h's PUSHED_ARCHIVES_MAX (asserted where
 * sculpt pushes, target_archives.c). */
#define MACHINE_PUSHED_MAX 16u
/* The bytes of all archives pushed to one machine. Core keeps up to 16
 * MiB of them in its table, but takes their memory from what it holds
 * back from init's quota, its reserve of 4 MiB (core/riscv/main.c,
 * CORE_RAM_RESERVE), which also holds its own objects and the configs
 * pushed to it: half of the reserve is what sculpt lets archives have,
 * so that pushing never takes what init was promised. */
#define MACHINE_PUSHED_BYTES_MAX ((uint64_t)2 << 20)
#define MACHINE_RECORD_MAX ((size_t)64 << 10)

struct machine_archive {
	char name[DEPOT_NAME_MAX];
	int pushed;     /* 0: in the boot image */
	uint64_t bytes; /* pushed: its files' bytes */
};

struct machine_record {
	struct machine_archive archives[MACHINE_IMAGE_MAX + MACHINE_PUSHED_MAX];
	unsigned count;
	unsigned pushed;       /* how many of them */
	uint64_t pushed_bytes; /* all pushed together */
};

/* Parses `length` bytes of `text` (see above) into *r. 0, or
 * SCULPT_E_IO with the line and why in diag. */
int machine_record_parse(const char *text, size_t length,
                         struct machine_record *r, struct sculpt_diag *diag);

/* Whether the machine has `archive`. */
int machine_record_has(const struct machine_record *r, const char *archive);

/* Adds `archive` (pushed with `bytes`, or in the image), within the
 * bounds above; an archive it has is refused. 0, or SCULPT_E_PKG with
 * why in diag, *r unchanged. */
int machine_record_add(struct machine_record *r, const char *archive,
                       int pushed, uint64_t bytes, struct sculpt_diag *diag);

/* Whether `count` more archives of `bytes` together may be pushed: 0, or
 * SCULPT_E_PKG with the bound they break in diag. */
int machine_record_room(const struct machine_record *r, unsigned count,
                        uint64_t bytes, struct sculpt_diag *diag);

/* The record as text (malloc'd, NUL-terminated), which
 * machine_record_parse reads back; NULL when out of memory. */
char *machine_record_format(const struct machine_record *r);

/* Core's answer to a pushed archive frame, on its console as riscv-console
 * writes it into TARGET/log/core.log (core/riscv/control_archive.c and
 * control.c say these words). */
enum machine_answer {
	MACHINE_ANSWER_NONE,    /* the line answers no push of `archive` */
	MACHINE_ANSWER_TAKEN,   /* `archive 'A' pushed, ...` */
	MACHINE_ANSWER_REFUSED, /* `archive 'A' refused: WHY; ...`, or the
	                         * frame's header refused, or the channel
	                         * broke: core's reason in why */
};

/* What `line` (one line of core.log, without its newline) says of the
 * push of `archive`; the words after `pushed, ` or core's reason into
 * why. */
enum machine_answer machine_answer(const char *line, const char *archive,
                                   char *why, size_t why_size);

#endif
