/*
 * Private interface of the safe extractor (extract.c), used by the
 * installer (install.c).
 */
#ifndef DEPOT_EXTRACT_H
#define DEPOT_EXTRACT_H

#include <stdio.h>

#include "depot/depot.h"

/* Extracts a .tar.zst or .tar.xz into the empty directory `dest`, refusing
 * hostile entries, and writes one manifest line per entry to `manifest`:
 *   <type> <mode> <sha256 or -> <path>
 * type f (file; sha256 of its content), d (directory), l (symlink; sha256
 * of its target string). */
int extract_safe(const char *archive_file, const char *dest,
                 const struct depot_limits *limits, FILE *manifest,
                 struct depot_diag *diag);

#endif
