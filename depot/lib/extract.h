/*
 * Private interface of the safe extractor (extract.c), used by the
 * installer (install.c), the streaming installer (stream_install.c) and
 * builds (build.c).
 */
#ifndef DEPOT_EXTRACT_H
#define DEPOT_EXTRACT_H

#include <stdint.h>
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
/* The same, reading the archive from `fd` (a pipe while it downloads);
 * `label` names it in diagnostics. Stops reading at the archive's end or
 * at the first refusal. */
int extract_safe_fd(int fd, const char *label, const char *dest,
                    const struct depot_limits *limits, FILE *manifest,
                    struct depot_diag *diag);

/* What extracting `archive_file` costs, counted as the extractor counts
 * against its limits: content bytes and entries. For the publisher, who
 * signs these figures so that clients bound an unverified stream by them. */
int extract_measure(const char *archive_file, uint64_t *bytes,
                    uint64_t *entries, struct depot_diag *diag);

#endif
