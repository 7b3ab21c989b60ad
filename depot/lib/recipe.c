/*
 * Recipes: recipes/<kind>/<name>/ describes one archive (see
 * recipes/README.md). For api, src and raw a `content` file lists what is
 * taken from the repository; a pkg recipe holds its archives, README and
 * runtime files itself. The `hash` file pins `<version> <content hash>`:
 * creating an archive whose content no longer matches the recorded hash is
 * refused (versions are immutable), and `depot bump` records a new version.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "diag.h"
#include "fsutil.h"

enum { RECIPE_FILE_MAX = 1 << 20 };

static int recipe_dir(const struct depot_recipe_paths *paths, const char *kind,
                      const char *name, char out[PATH_MAX],
                      struct depot_diag *diag)
{
	char subject[2 * DEPOT_PART_MAX];
	snprintf(subject, sizeof subject, "%s/%s", kind, name);
	if (!depot_kind_valid(kind) || strcmp(kind, "bin") == 0 ||
	    !depot_part_valid(name))
		return diag_set(diag, DEPOT_E_RECIPE, subject,
		                "expected "
		                "{api,src,raw,pkg}/<name>");
	int err = fs_pathf(out, diag, "%s/%s/%s", paths->recipes, kind, name);
	struct stat st;
	if (!err && (stat(out, &st) < 0 || !S_ISDIR(st.st_mode)))
		err = diag_set(diag, DEPOT_E_RECIPE, subject,
		               "no directory "
		               "'%s'",
		               out);
	return err;
}

/* One line of a content file: "<repo path>" or "<repo path> <archive
 * path>". */
static int add_content_line(struct depot_content *c,
                            const struct depot_recipe_paths *paths, char *line,
                            unsigned line_no, struct depot_diag *diag)
{
	char *save = NULL;
	char *from = strtok_r(line, " \t", &save);
	char *to = strtok_r(NULL, " \t", &save);
	if (!from || from[0] == '#')
		return DEPOT_OK;
	if (strtok_r(NULL, " \t", &save) || from[0] == '/' ||
	    content_path_check(from))
		return diag_set(diag, DEPOT_E_RECIPE, from,
		                "content line %u: "
		                "expected '<repository path> [<archive path>]' "
		                "with relative paths",
		                line_no);
	char source[PATH_MAX];
	int err = fs_pathf(source, diag, "%s/%s", paths->root, from);
	return err ? err : depot_content_add(c, source, to ? to : from, diag);
}

static int content_from_file(struct depot_content *c,
                             const struct depot_recipe_paths *paths,
                             const char *dir, struct depot_diag *diag)
{
	char path[PATH_MAX];
	char *text;
	int err = fs_pathf(path, diag, "%s/content", dir);
	if (!err)
		err = fs_read_file(path, RECIPE_FILE_MAX, &text, NULL, diag);
	if (err)
		return err;
	char *cursor = text;
	unsigned line_no = 0;
	for (char *line = strsep(&cursor, "\n"); !err && line;
	     line = strsep(&cursor, "\n"))
		err = add_content_line(c, paths, line, ++line_no, diag);
	free(text);
	if (!err && c->count == 0)
		err = diag_set(diag, DEPOT_E_RECIPE, path, "lists nothing");
	return err;
}

static int count_archive(void *ctx, const struct depot_name *name)
{
	(void)name;
	(*(size_t *)ctx)++;
	return DEPOT_OK;
}

/* A pkg's content: its own archives, README and runtime, validated. */
static int content_of_pkg(struct depot_content *c, const char *dir,
                          struct depot_diag *diag)
{
	static const char *const files[] = { "README", "archives", "runtime" };
	for (size_t i = 0; i < 3; i++) {
		char path[PATH_MAX];
		char *text;
		size_t length, count = 0;
		int err = fs_pathf(path, diag, "%s/%s", dir, files[i]);
		if (!err)
			err = fs_read_file(path, RECIPE_FILE_MAX, &text,
			                   &length, diag);
		if (err)
			return err;
		if (i == 1)
			err = depot_archives_parse(text, length, count_archive,
			                           &count, diag);
		if (i == 2)
			err = depot_runtime_validate(text, length, diag);
		free(text);
		if (!err)
			err = depot_content_add(c, path, files[i], diag);
		if (err)
			return err;
	}
	return DEPOT_OK;
}

static int recipe_content(const struct depot_recipe_paths *paths,
                          const char *kind, const char *dir,
                          uint8_t hash[DEPOT_SHA256_LEN],
                          struct depot_content **out, struct depot_diag *diag)
{
	struct depot_content *c = depot_content_new();
	if (!c)
		return diag_set(diag, DEPOT_E_NOMEM, dir, NULL);
	int err = strcmp(kind, "pkg") == 0
	                  ? content_of_pkg(c, dir, diag)
	                  : content_from_file(c, paths, dir, diag);
	if (!err)
		err = depot_content_hash(c, hash, diag);
	if (err || !out)
		depot_content_free(c);
	else
		*out = c;
	return err;
}

/* Reads "<version> <hash>" from the recipe's hash file. */
static int read_hash_file(const char *dir, const char *subject,
                          char version[DEPOT_PART_MAX],
                          uint8_t hash[DEPOT_SHA256_LEN],
                          struct depot_diag *diag)
{
	char path[PATH_MAX];
	char *text;
	int err = fs_pathf(path, diag, "%s/hash", dir);
	if (!err && access(path, F_OK) < 0 && errno == ENOENT)
		return diag_set(diag, DEPOT_E_NO_HASH, subject,
		                "run 'depot bump %s' to record a first version",
		                subject);
	if (!err)
		err = fs_read_file(path, 4096, &text, NULL, diag);
	if (err)
		return err;
	char v[DEPOT_PART_MAX], h[DEPOT_SHA256_HEX];
	char extra;
	int fields = sscanf(text, "%95s %64s %c", v, h, &extra);
	free(text);
	if (fields != 2 || !depot_part_valid(v) || depot_sha256_parse(h, hash))
		return diag_set(diag, DEPOT_E_RECIPE, path,
		                "expected one line '<version> <sha256>'");
	snprintf(version, DEPOT_PART_MAX, "%s", v);
	return DEPOT_OK;
}

int depot_recipe_check(const struct depot_recipe_paths *paths, const char *kind,
                       const char *name, char version[DEPOT_PART_MAX],
                       uint8_t hash[DEPOT_SHA256_LEN], struct depot_diag *diag)
{
	char dir[PATH_MAX], subject[2 * DEPOT_PART_MAX];
	uint8_t recorded[DEPOT_SHA256_LEN];
	snprintf(subject, sizeof subject, "%s/%s", kind, name);
	int err = recipe_dir(paths, kind, name, dir, diag);
	if (!err)
		err = recipe_content(paths, kind, dir, hash, NULL, diag);
	if (!err)
		err = read_hash_file(dir, subject, version, recorded, diag);
	if (!err && memcmp(recorded, hash, DEPOT_SHA256_LEN) != 0)
		err = diag_set(diag, DEPOT_E_NOT_BUMPED, subject,
		               "version %s is recorded for other content; run "
		               "'depot bump %s' to record a new version",
		               version, subject);
	return err;
}

/* Is the archive file at `path` the same as the one `content` gives? */
static int same_archive(const struct depot_content *content, const char *path,
                        struct depot_diag *diag)
{
	char fresh[PATH_MAX];
	uint8_t a[DEPOT_SHA256_LEN] = { 0 }, b[DEPOT_SHA256_LEN] = { 0 };
	int err = fs_pathf(fresh, diag, "%s.check", path);
	if (!err)
		err = depot_archive_create(content, fresh, diag);
	if (!err)
		err = depot_sha256_file(fresh, a, NULL, diag);
	if (!err)
		err = depot_sha256_file(path, b, NULL, diag);
	unlink(fresh);
	if (!err && memcmp(a, b, sizeof a) != 0)
		err = diag_set(diag, DEPOT_E_EXISTS, path,
		               "versions are "
		               "immutable; bump the recipe's version");
	return err;
}

int depot_recipe_create(const struct depot_recipe_paths *paths,
                        const char *depot, const char *user, const char *kind,
                        const char *name, char out_path[4096],
                        struct depot_diag *diag)
{
	char version[DEPOT_PART_MAX], dir[PATH_MAX];
	uint8_t hash[DEPOT_SHA256_LEN];
	if (!depot_part_valid(user))
		return diag_set(diag, DEPOT_E_NAME, user, "invalid user name");
	int err = depot_recipe_check(paths, kind, name, version, hash, diag);
	struct depot_content *content = NULL;
	if (!err)
		err = recipe_dir(paths, kind, name, dir, diag);
	if (!err)
		err = recipe_content(paths, kind, dir, hash, &content, diag);
	if (!err)
		err = fs_pathf(out_path, diag, "%s/%s/%s/%s/%s.tar.zst", depot,
		               user, kind, name, version);
	if (!err)
		err = access(out_path, F_OK) == 0
		              ? same_archive(content, out_path, diag)
		              : depot_archive_create(content, out_path, diag);
	depot_content_free(content);
	return err;
}

/* The version after `current` on the day `date`: the date itself, or the
 * date with the next letter when the current version is of that day. */
static int next_version(const char *current, const char *date,
                        char out[DEPOT_PART_MAX])
{
	size_t n = strlen(date);
	if (strncmp(current, date, n) != 0 || strlen(current) > n + 1) {
		snprintf(out, DEPOT_PART_MAX, "%s", date);
		return DEPOT_OK;
	}
	char last = current[n];
	if (last == 'z')
		return DEPOT_E_RECIPE;
	snprintf(out, DEPOT_PART_MAX, "%s%c", date,
	         last == '\0' ? 'a' : (char)(last + 1));
	return DEPOT_OK;
}

int depot_recipe_bump(const struct depot_recipe_paths *paths, const char *kind,
                      const char *name, time_t now,
                      char version[DEPOT_PART_MAX], struct depot_diag *diag)
{
	char dir[PATH_MAX], subject[2 * DEPOT_PART_MAX],
		current[DEPOT_PART_MAX];
	uint8_t hash[DEPOT_SHA256_LEN], recorded[DEPOT_SHA256_LEN];
	snprintf(subject, sizeof subject, "%s/%s", kind, name);
	int err = recipe_dir(paths, kind, name, dir, diag);
	if (!err)
		err = recipe_content(paths, kind, dir, hash, NULL, diag);
	if (err)
		return err;
	err = read_hash_file(dir, subject, current, recorded, diag);
	if (err == DEPOT_E_NO_HASH)
		current[0] = '\0';
	else if (err)
		return err;
	else if (memcmp(recorded, hash, sizeof hash) == 0) {
		snprintf(version, DEPOT_PART_MAX, "%s", current);
		return DEPOT_OK;
	}
	struct tm tm;
	char date[16];
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	if (next_version(current, date, version))
		return diag_set(diag, DEPOT_E_RECIPE, subject,
		                "too many "
		                "versions today (%s)",
		                current);
	char line[DEPOT_PART_MAX + DEPOT_SHA256_HEX + 4], hex[DEPOT_SHA256_HEX];
	depot_sha256_hex(hash, hex);
	int len = snprintf(line, sizeof line, "%s %s\n", version, hex);
	char path[PATH_MAX];
	err = fs_pathf(path, diag, "%s/hash", dir);
	return err ? err : fs_write_atomic(path, line, (size_t)len, diag);
}
