/*
 * Private view of struct depot_content, shared by the content list
 * (content.c) and the archive writer (archive_create.c).
 */
#ifndef DEPOT_CONTENT_H
#define DEPOT_CONTENT_H

#include "depot/depot.h"

struct content_entry {
	char *archive_path; /* relative, normalized, no '..' */
	char *source;       /* path on disk; NULL: a directory implied by a
	                     * nested archive path */
};

struct depot_content {
	struct content_entry *entries; /* sorted by archive_path (strcmp) */
	size_t count;
	size_t capacity;
};

/* Checks that `path` is a relative, normalized path without '.' or '..'
 * components; returns 0 or the DEPOT_E_* code naming the problem. */
int content_path_check(const char *path);

#endif
