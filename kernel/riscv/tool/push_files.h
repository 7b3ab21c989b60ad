/*
 * What a host pushes over the control channel (control_frame.h), read
 * from its files: one file whole, and the files of an extracted depot
 * archive that core serves, as riscv-push-rom, riscv-push-archive and
 * sculpt (sculpt-cli/target_archives.c, and its boot image,
 * boot_riscv.c) take them.
 *
 * An archive's files are its top-level regular files, links and names
 * starting with '.' left out (core serves no others: a ROM name never
 * starts with '.' and has no '/'), in strcmp order, so that a boot image
 * and a pushed frame hold the same files in the same order.
 */
#ifndef RISCV_TOOL_PUSH_FILES_H
#define RISCV_TOOL_PUSH_FILES_H

#include <stddef.h>

#include "control_frame.h"

/* The whole of `path` into *bytes (malloc'd): at most CONTROL_FILE_MAX
 * + 1 bytes, so that one more says it is too large (the frame refuses
 * it). A link is followed only with `follow`; no fifo or device is read.
 * 0, or -1 with why. */
int push_file_read(const char *path, int follow, unsigned char **bytes,
                   size_t *size, char *why, size_t why_size);

/* The names of the files of the archive extracted at `dir` (see above),
 * sorted, each malloc'd, into names[0..*count); more than `max` is an
 * error. 0, or -1 with why (nothing left to free). */
int push_archive_names(const char *dir, char **names, unsigned max,
                       unsigned *count, char *why, size_t why_size);

void push_names_free(char **names, unsigned count);

/* The files of the archive extracted at `dir`, read (names and bytes
 * malloc'd), into files[0..*count), at most CONTROL_ARCHIVE_FILES_MAX.
 * 0, or -1 with why (nothing left to free). */
int push_archive_read(const char *dir, struct control_file *files,
                      unsigned *count, char *why, size_t why_size);

void push_archive_free(struct control_file *files, unsigned count);

#endif
