/*
 * The build description of a src archive (depot/build.h): `use`, `make` and
 * `output` lines, parsed into a fixed-size struct. It comes from an archive,
 * so it is untrusted: every path is checked to stay inside the build tree
 * and every malformation is refused with its line number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "depot/build.h"
#include "diag.h"

/* A relative path inside the build tree: safe characters, no empty, '.' or
 * '..' component, no leading '/'. */
static int tree_path_valid(const char *path)
{
	size_t length = strlen(path);
	if (length == 0 || length >= DEPOT_BUILD_PATH_MAX ||
	    strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                 "0123456789._+-/") != length)
		return 0;
	for (const char *part = path; part;) {
		const char *slash = strchr(part, '/');
		size_t n = slash ? (size_t)(slash - part) : strlen(part);
		if (n == 0 || (n == 1 && part[0] == '.') ||
		    (n == 2 && part[0] == '.' && part[1] == '.'))
			return 0;
		part = slash ? slash + 1 : NULL;
	}
	return 1;
}

/* `use <kind>/<name>` (the archive's content joins the tree at its root)
 * or `use bin/<name> <dir>` (the bin archive built from src/<name> for the
 * arch of this build, extracted into the tree path <dir>: a bin archive
 * holds a program's files at its top, as a target installs them, not
 * repository paths). The arch is never written: the depot resolves it, so
 * one description cannot pick another arch's binaries. A pkg is no build
 * input. */
static int parse_use(struct depot_build_description *d, const char *arg,
                     const char *dir)
{
	const char *slash = strchr(arg, '/');
	if (!slash || d->use_count == DEPOT_BUILD_USES_MAX)
		return 0;
	struct depot_build_use *use = &d->uses[d->use_count];
	size_t kind_length = (size_t)(slash - arg);
	if (kind_length >= sizeof use->kind ||
	    strlen(slash + 1) >= sizeof use->name)
		return 0;
	snprintf(use->kind, sizeof use->kind, "%.*s", (int)kind_length, arg);
	snprintf(use->name, sizeof use->name, "%s", slash + 1);
	int bin = strcmp(use->kind, "bin") == 0;
	if (!depot_kind_valid(use->kind) || strcmp(use->kind, "pkg") == 0 ||
	    !depot_part_valid(use->name) || bin != (dir != NULL) ||
	    (dir && !tree_path_valid(dir)))
		return 0;
	snprintf(use->dir, sizeof use->dir, "%s", dir ? dir : "");
	d->use_count++;
	return 1;
}

static int parse_make(struct depot_build_description *d, const char *arg)
{
	if (d->target_count == DEPOT_BUILD_TARGETS_MAX || !tree_path_valid(arg))
		return 0;
	snprintf(d->targets[d->target_count++], DEPOT_BUILD_PATH_MAX, "%s",
	         arg);
	return 1;
}

static int parse_output(struct depot_build_description *d, const char *path,
                        const char *archive_path)
{
	if (d->output_count == DEPOT_BUILD_OUTPUTS_MAX || !archive_path ||
	    !tree_path_valid(path) || !tree_path_valid(archive_path))
		return 0;
	struct depot_build_output *out = &d->outputs[d->output_count++];
	snprintf(out->path, sizeof out->path, "%s", path);
	snprintf(out->archive_path, sizeof out->archive_path, "%s",
	         archive_path);
	return 1;
}

/* One line, already split into words; 1 when it is a valid statement. */
static int parse_statement(struct depot_build_description *d, char **words,
                           size_t count)
{
	if ((count == 2 || count == 3) && strcmp(words[0], "use") == 0)
		return parse_use(d, words[1], count == 3 ? words[2] : NULL);
	if (count == 2 && strcmp(words[0], "make") == 0)
		return parse_make(d, words[1]);
	if (count == 3 && strcmp(words[0], "output") == 0)
		return parse_output(d, words[1], words[2]);
	return 0;
}

static size_t split_words(char *line, char *words[4])
{
	size_t count = 0;
	char *save = NULL;
	for (char *w = strtok_r(line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (count == 4)
			return 5; /* too many: no statement has more than 3 */
		words[count++] = w;
	}
	return count;
}

static int parse_lines(char *text, struct depot_build_description *out,
                       struct depot_diag *diag)
{
	char *cursor = text;
	unsigned line_no = 0;
	for (char *line = strsep(&cursor, "\n"); line;
	     line = strsep(&cursor, "\n")) {
		line_no++;
		char *words[4];
		size_t count = split_words(line, words);
		if (count == 0 || words[0][0] == '#')
			continue;
		if (!parse_statement(out, words, count))
			return diag_set(diag, DEPOT_E_RECIPE, "build",
			                "line %u: "
			                "expected 'use <kind>/<name>', 'use "
			                "bin/<name> <dir>', 'make <target>' or "
			                "'output <path> <archive path>' with "
			                "relative paths (at most %d of each)",
			                line_no, DEPOT_BUILD_USES_MAX);
	}
	if (out->target_count == 0 || out->output_count == 0)
		return diag_set(diag, DEPOT_E_RECIPE, "build",
		                "needs at least "
		                "one 'make' and one 'output' line");
	return DEPOT_OK;
}

int depot_build_description_parse(const char *text, size_t length,
                                  struct depot_build_description *out,
                                  struct depot_diag *diag)
{
	memset(out, 0, sizeof *out);
	if (memchr(text, '\0', length))
		return diag_set(diag, DEPOT_E_RECIPE, "build",
		                "contains a NUL byte");
	char *copy = malloc(length + 1);
	if (!copy)
		return diag_set(diag, DEPOT_E_NOMEM, "build", NULL);
	memcpy(copy, text, length);
	copy[length] = '\0';
	int err = parse_lines(copy, out, diag);
	free(copy);
	return err;
}
