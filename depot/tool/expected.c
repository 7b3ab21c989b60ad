/*
 * The expected-values file of `depot fetch --expected` (see expected.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

#include "expected.h"

struct entry {
	char name[DEPOT_NAME_MAX];
	uint64_t length;
	uint8_t sha256[DEPOT_SHA256_LEN];
};

struct expected {
	struct entry *entries;
	size_t count;
};

static int bad_line(const char *path, unsigned line_no, struct depot_diag *diag)
{
	snprintf(diag->subject, sizeof diag->subject, "%s", path);
	snprintf(diag->detail, sizeof diag->detail,
	         "line %u: expected "
	         "'<archive> <length> <sha256>'",
	         line_no);
	return DEPOT_E_USAGE;
}

/* Parses one non-comment line into e. */
static int parse_line(char *line, struct entry *e)
{
	char *save = NULL;
	char *name = strtok_r(line, " \t\n", &save);
	char *length = strtok_r(NULL, " \t\n", &save);
	char *sha = strtok_r(NULL, " \t\n", &save);
	struct depot_name parsed;
	if (!name || !length || !sha || strtok_r(NULL, " \t\n", &save) ||
	    depot_name_parse(name, &parsed, NULL) ||
	    options_parse_u64(length, &e->length) ||
	    depot_sha256_parse(sha, e->sha256))
		return -1;
	depot_name_format(&parsed, e->name);
	return 0;
}

int expected_load(const char *path, struct expected **out,
                  struct depot_diag *diag)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(diag->subject, sizeof diag->subject, "%s", path);
		snprintf(diag->detail, sizeof diag->detail, "cannot be read");
		return DEPOT_E_IO;
	}
	struct expected *e = calloc(1, sizeof *e);
	size_t capacity = 0;
	char line[1024];
	unsigned line_no = 0;
	int err = e ? DEPOT_OK : DEPOT_E_NOMEM;
	while (!err && fgets(line, sizeof line, f)) {
		line_no++;
		char *s = line + strspn(line, " \t");
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		void *grown = grow_array(e->entries, &capacity, e->count + 1,
		                         sizeof *e->entries);
		if (!grown) {
			err = DEPOT_E_NOMEM;
			break;
		}
		e->entries = grown;
		if (parse_line(s, &e->entries[e->count]) < 0)
			err = bad_line(path, line_no, diag);
		else
			e->count++;
	}
	fclose(f);
	if (err) {
		expected_free(e);
		return err;
	}
	*out = e;
	return DEPOT_OK;
}

void expected_free(struct expected *e)
{
	if (!e)
		return;
	free(e->entries);
	free(e);
}

int expected_lookup(void *ctx, const struct depot_name *name, uint64_t *length,
                    uint8_t sha256[DEPOT_SHA256_LEN],
                    struct depot_limits *limits, struct depot_diag *diag)
{
	const struct expected *e = ctx;
	(void)limits; /* an expected-values file vouches for no sizes */
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	for (size_t i = 0; i < e->count; i++) {
		if (strcmp(e->entries[i].name, text) != 0)
			continue;
		*length = e->entries[i].length;
		memcpy(sha256, e->entries[i].sha256, DEPOT_SHA256_LEN);
		return DEPOT_OK;
	}
	snprintf(diag->subject, sizeof diag->subject, "%s", text);
	diag->detail[0] = '\0';
	return DEPOT_E_UNTRUSTED;
}
