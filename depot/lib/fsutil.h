/*
 * Private file-system helpers of libdepot: creating parent directories,
 * removing trees, reading small files, writing files atomically.
 */
#ifndef DEPOT_FSUTIL_H
#define DEPOT_FSUTIL_H

#include <stddef.h>

#include "depot/depot.h"

/* mkdir -p for `path` itself. */
int fs_mkdirs(const char *path, struct depot_diag *diag);
/* mkdir -p for the directory that holds `path`. */
int fs_mkdirs_parent(const char *path, struct depot_diag *diag);
/* rm -rf, never following symlinks. Missing path is not an error. */
int fs_remove_tree(const char *path, struct depot_diag *diag);
/* Reads a whole file of at most `max` bytes, NUL-terminated; caller frees. */
int fs_read_file(const char *path, size_t max, char **out, size_t *length,
                 struct depot_diag *diag);
/* Opens `path` (relative) below the directory `root` for reading, with
 * openat2(RESOLVE_BENEATH): '..', absolute symlinks and symlinks that
 * climb above root are refused by the kernel (DEPOT_E_LINK_ESCAPE). */
int fs_open_beneath(const char *root, const char *path, int *fd,
                    struct depot_diag *diag);
/* fs_read_file of `path` below `root`, opened as fs_open_beneath does. */
int fs_read_beneath(const char *root, const char *path, size_t max, char **out,
                    size_t *length, struct depot_diag *diag);
/* Writes `data` to `path` through a temporary file and rename. */
int fs_write_atomic(const char *path, const void *data, size_t length,
                    struct depot_diag *diag);
/* Formats a path into a PATH_MAX buffer; DEPOT_E_USAGE when too long. */
int fs_pathf(char *out, struct depot_diag *diag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Joins two path parts into a malloc'ed string, NULL when out of memory. */
char *fs_join(const char *a, const char *b);

#endif
