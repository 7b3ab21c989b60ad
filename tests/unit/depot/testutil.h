/*
 * Helpers shared by the libdepot unit tests: scratch directories and small
 * file operations, so that each test reads as what it checks.
 */
#ifndef DEPOT_TESTUTIL_H
#define DEPOT_TESTUTIL_H

#include <stddef.h>

/* Creates a fresh directory under $TMPDIR (or /tmp); returns a malloc'ed
 * path. */
char *tu_tmpdir(void);
/* rm -rf and free. */
void tu_rmdir(char *path);
/* Writes `text` to dir/rel, creating parent directories. */
void tu_write(const char *dir, const char *rel, const char *text);
/* Does dir/rel exist (lstat)? */
int tu_exists(const char *dir, const char *rel);
/* Number of entries in dir (0 when missing). */
int tu_count(const char *dir);
/* Reads a whole file into a static buffer of 64 KiB. */
const char *tu_read(const char *dir, const char *rel);
/* A path dir/rel in a static buffer (overwritten by the next call). */
const char *tu_path(const char *dir, const char *rel);

#endif
