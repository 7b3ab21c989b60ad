/*
 * Parsing an installed archive's manifest (manifest.h): one linear pass
 * over a private copy, cutting it into strings in place; duplicates are
 * found by sorting a copy of the top-level entries once (n log n, n
 * bounded by MANIFEST_MAX).
 */
#include "manifest.h"

#include "target.h"

#include <runtime/str.h>

#include <stdlib.h>
#include <string.h>

static int is_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int is_octal4(const char *s)
{
	for (size_t i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '7')
			return 0;
	return 1;
}

/* A relative path of non-empty components, none "." or "..", without
 * control characters. */
static int path_ok(const char *path)
{
	if (!*path)
		return 0;
	for (const char *c = path; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return 0;
	for (const char *part = path; part;) {
		const char *slash = strchr(part, '/');
		size_t len = slash ? (size_t)(slash - part) : strlen(part);
		if (len == 0 || (len == 1 && part[0] == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.'))
			return 0;
		part = slash ? slash + 1 : NULL;
	}
	return 1;
}

/* Checks one line (without its newline, NUL-terminated) and cuts it:
 * "T MODE HASH PATH". Sets *file when it is a top-level regular file a
 * ROM can name. */
static int parse_line(char *line, struct manifest_file *file, int *is_file)
{
	size_t len = strlen(line);
	*is_file = 0;
	if (len < 8 + 2 || line[1] != ' ' || line[6] != ' ' ||
	    !strchr("fdl", line[0]) || !is_octal4(line + 2))
		return -1;
	char *hash = line + 7;
	char *space = strchr(hash, ' ');
	if (!space)
		return -1;
	size_t hash_len = (size_t)(space - hash);
	int hashed = hash_len == MANIFEST_SHA256_HEX && is_hex(hash, hash_len);
	int dash = hash_len == 1 && hash[0] == '-';
	if (line[0] == 'd' ? !dash : !hashed)
		return -1;
	*space = '\0';
	char *path = space + 1;
	if (!path_ok(path))
		return -1;
	if (line[0] == 'f' && !strchr(path, '/') &&
	    target_module_name_ok(path)) {
		file->name = path;
		file->sha256 = hash;
		*is_file = 1;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct manifest_file *x = a, *y = b;
	return strcmp(x->name, y->name);
}

/* Finds a top-level file listed twice: 1 with its name in *twice, 0 if
 * there is none, -1 when memory runs out. */
static int find_duplicate(const struct manifest *m, const char **twice)
{
	*twice = NULL;
	if (m->count < 2)
		return 0;
	struct manifest_file *sorted = malloc(m->count * sizeof(*sorted));
	if (!sorted)
		return -1;
	memcpy(sorted, m->files, m->count * sizeof(*sorted));
	qsort(sorted, m->count, sizeof(*sorted), by_name);
	for (size_t i = 1; i < m->count && !*twice; i++)
		if (strcmp(sorted[i - 1].name, sorted[i].name) == 0)
			*twice = sorted[i].name; /* points into m->text */
	free(sorted);
	return *twice != NULL;
}

static int fail(struct manifest *m, char *why, size_t why_size,
                const char *text)
{
	str_copy(why, text, why_size);
	manifest_free(m);
	return -1;
}

int manifest_parse(const char *text, size_t len, struct manifest *m, char *why,
                   size_t why_size)
{
	memset(m, 0, sizeof(*m));
	if (len > MANIFEST_MAX)
		return fail(m, why, why_size,
		            "the manifest is larger than 1 MiB");
	if (len > 0 && text[len - 1] != '\n')
		return fail(m, why, why_size,
		            "the manifest is cut short (its "
		            "last line has no newline)");
	if (memchr(text, '\0', len))
		return fail(m, why, why_size, "the manifest holds a NUL byte");
	/* at most one file per line of at least 72 bytes, and never more
	 * than lines */
	size_t most = len / 72 + 1;
	m->text = malloc(len + 1);
	m->files = malloc(most * sizeof(*m->files));
	if (!m->text || !m->files)
		return fail(m, why, why_size, "core is out of memory");
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	unsigned line_no = 0;
	for (char *line = m->text; *line;) {
		char *end = strchr(line,
		                   '\n'); /* there is one: checked above */
		*end = '\0';
		line_no++;
		int is_file;
		if (parse_line(line, &m->files[m->count], &is_file) != 0) {
			char text_why[96];
			str_format(text_why, sizeof(text_why),
			           "line %u of the "
			           "manifest is malformed",
			           line_no);
			return fail(m, why, why_size, text_why);
		}
		m->count += is_file != 0;
		line = end + 1;
	}
	const char *twice;
	int found = find_duplicate(m, &twice);
	if (found < 0)
		return fail(m, why, why_size, "core is out of memory");
	if (found) {
		char text_why[128];
		str_format(text_why, sizeof(text_why),
		           "the manifest lists file "
		           "'%s' twice",
		           twice);
		return fail(m, why, why_size, text_why);
	}
	return 0;
}

void manifest_free(struct manifest *m)
{
	free(m->text);
	free(m->files);
	memset(m, 0, sizeof(*m));
}

const struct manifest_file *manifest_find(const struct manifest *m,
                                          const char *name)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}
