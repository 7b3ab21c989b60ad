/*
 * An installed archive's manifest as core reads it: the file
 * DIR/depot/<archive>.manifest that `depot extract`/`download` writes
 * beside the extracted archive, one line per entry,
 *
 *     f 0644 <sha256, 64 hex digits> <path>      regular file
 *     d 0755 - <path>                            directory
 *     l 0777 <sha256 of the link target> <path>  symbolic link
 *
 * each ending in '\n'. Core serves only the top-level regular files (a
 * path without '/'), so this module keeps those, in manifest order.
 *
 * The manifest comes from the disk of the target and is taken as hostile:
 * at most MANIFEST_MAX bytes, parsed in one pass; a line of another shape,
 * a last line without newline (a manifest cut short), an absolute path,
 * an empty, "." or ".." path component, a control character, or a
 * top-level file listed twice make it malformed (the archive then counts
 * as damaged). A top-level file whose name no ROM can name (hidden, longer
 * than a module name) is valid and left out.
 */
#ifndef CORE_MANIFEST_H
#define CORE_MANIFEST_H

#include <stddef.h>

#define MANIFEST_MAX ((size_t)1 << 20)
#define MANIFEST_SHA256_HEX 64

struct manifest_file {
	const char *name;   /* into manifest.text, NUL-terminated */
	const char *sha256; /* 64 lowercase hex digits, NUL-terminated */
};

struct manifest {
	char *text;                  /* a copy, cut into strings */
	struct manifest_file *files; /* top-level regular files, in order */
	size_t count;
};

/* Parses text[0..len). 0, or -1 with the reason in why[why_size]
 * (m then holds nothing to free; also for len > MANIFEST_MAX and when
 * memory runs out). */
int manifest_parse(const char *text, size_t len, struct manifest *m, char *why,
                   size_t why_size);
void manifest_free(struct manifest *m);

/* The top-level regular file `name`, or NULL if the manifest lists none. */
const struct manifest_file *manifest_find(const struct manifest *m,
                                          const char *name);

#endif
