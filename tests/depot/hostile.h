/*
 * Test helper shared by the unit tests (tests/unit/depot) and the
 * end-to-end suite (tests/depot, through depot-mkhostile): writes
 * well-formed and hostile .tar.zst archives with libarchive, entry by
 * entry, including the entries a normal archiver would never produce.
 */
#ifndef DEPOT_TEST_HOSTILE_H
#define DEPOT_TEST_HOSTILE_H

/* Writes the archive of the given kind to `path`; 0 on success, -1 for an
 * unknown kind or a write error. Kinds: good, traversal, absolute,
 * symlink-escape, symlink-absolute, symlink-chain, hardlink-escape, device,
 * fifo, bomb (64 MiB of zeros), many (2000 entries), duplicate, no-dirs
 * (files below directories the archive does not list), symlink-nested,
 * symlink-trust, symlink-dangling, below-symlink, symlink-loop, modes
 * (setuid, setgid, sticky and world-writable entries of another owner). */
int hostile_write(const char *kind, const char *path);

/* Writes `files` files of `size` bytes each (for interruption tests). */
int hostile_write_large(const char *path, unsigned files, unsigned size);

/* The names of all kinds, NULL-terminated. */
extern const char *const hostile_kinds[];

#endif
