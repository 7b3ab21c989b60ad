/*
 * The closure check of `depot publish` (publish_closure.h). The pkg's
 * archives list is read from the archive file itself, the very bytes that
 * will be published, through libarchive with a bound on the entries
 * looked at and on the list's size: the depot holds archives fetched from
 * elsewhere too.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "diag.h"
#include "fsutil.h"
#include "publish_closure.h"

/* A pkg archive holds three files; a few more entries are tolerated. */
enum { PKG_ENTRIES_MAX = 16, ARCHIVES_LIST_MAX = 65536 };

/* Reads the data of the entry just read into a malloc'd, NUL-terminated
 * text of at most ARCHIVES_LIST_MAX bytes. */
static int read_entry(struct archive *a, struct archive_entry *entry,
                      const char *file, char **text, size_t *length,
                      struct depot_diag *diag)
{
	la_int64_t size = archive_entry_size(entry);
	if (size < 0 || size > ARCHIVES_LIST_MAX)
		return diag_set(diag, DEPOT_E_ARCHIVES_LIST, file,
		                "larger than "
		                "%d bytes",
		                ARCHIVES_LIST_MAX);
	char *data = malloc((size_t)size + 1);
	if (!data)
		return diag_set(diag, DEPOT_E_NOMEM, file, NULL);
	if (archive_read_data(a, data, (size_t)size) != size) {
		free(data);
		return diag_set(diag, DEPOT_E_ARCHIVE, file,
		                "cannot read its "
		                "archives list");
	}
	data[size] = '\0';
	*text = data;
	*length = (size_t)size;
	return DEPOT_OK;
}

/* Reads member "archives" of the pkg archive file into a malloc'd,
 * NUL-terminated text. */
static int read_archives_list(const char *file, char **text, size_t *length,
                              struct depot_diag *diag)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	int err = a ? DEPOT_OK : diag_set(diag, DEPOT_E_NOMEM, file, NULL),
	    found = 0;
	*text = NULL;
	if (!err) {
		archive_read_support_filter_zstd(a);
		archive_read_support_format_tar(a);
		if (archive_read_open_filename(a, file, 65536) != ARCHIVE_OK)
			err = diag_set(diag, DEPOT_E_ARCHIVE, file, "%s",
			               archive_error_string(a));
	}
	for (int i = 0; !err && !found && i < PKG_ENTRIES_MAX; i++) {
		if (archive_read_next_header(a, &entry) != ARCHIVE_OK)
			break;
		const char *path = archive_entry_pathname(entry);
		found = path && (!strcmp(path, "archives") ||
		                 !strcmp(path, "./archives"));
		if (found)
			err = read_entry(a, entry, file, text, length, diag);
	}
	if (!err && !found)
		err = diag_set(diag, DEPOT_E_ARCHIVES_LIST, file,
		               "the pkg "
		               "archive has no archives list");
	archive_read_free(a);
	return err;
}

struct walk {
	const char *tree;
	const struct depot_name *names;
	size_t count;
	char missing[sizeof(((struct depot_diag *)0)->detail)];
	size_t missing_count;
};

static int same_archive(const struct depot_name *a, const struct depot_name *b)
{
	return !strcmp(a->user, b->user) && !strcmp(a->kind, b->kind) &&
	       !strcmp(a->name, b->name) && !strcmp(a->version, b->version) &&
	       !strcmp(a->arch, b->arch);
}

static int in_tree(const char *tree, const struct depot_name *name)
{
	char text[DEPOT_NAME_MAX], path[PATH_MAX];
	depot_name_format(name, text);
	if (snprintf(path, sizeof path, "%s/targets/%s.tar.zst", tree, text) >=
	    (int)sizeof path)
		return 0;
	return access(path, F_OK) == 0;
}

/* Whether a bin archive built from src `src` is published or in the tree,
 * for any arch. */
static int has_bin(const struct walk *w, const struct depot_name *src)
{
	char dir[PATH_MAX];
	for (size_t i = 0; i < w->count; i++) {
		const struct depot_name *n = &w->names[i];
		if (!strcmp(n->kind, "bin") && !strcmp(n->user, src->user) &&
		    !strcmp(n->name, src->name) &&
		    !strcmp(n->version, src->version))
			return 1;
	}
	if (snprintf(dir, sizeof dir, "%s/targets/%s/bin", w->tree,
	             src->user) >= (int)sizeof dir)
		return 0;
	DIR *archs = opendir(dir);
	struct dirent *arch;
	int found = 0;
	while (archs && !found && (arch = readdir(archs))) {
		size_t arch_length = strlen(arch->d_name);
		if (arch->d_name[0] == '.' || arch_length >= sizeof src->arch)
			continue;
		struct depot_name bin = *src;
		memcpy(bin.kind, "bin", sizeof "bin");
		memcpy(bin.arch, arch->d_name, arch_length + 1);
		found = in_tree(w->tree, &bin);
	}
	if (archs)
		closedir(archs);
	return found;
}

static void note_missing(struct walk *w, const struct depot_name *name)
{
	char text[DEPOT_NAME_MAX], hint[3 * DEPOT_NAME_MAX + 64];
	depot_name_format(name, text);
	if (!strcmp(name->kind, "src"))
		snprintf(hint, sizeof hint,
		         "no bin archive of %s (run 'depot "
		         "build %s src/%s/%s')",
		         text, name->user, name->name, name->version);
	else
		snprintf(hint, sizeof hint, "%s (run 'depot create %s %s/%s')",
		         text, name->user, name->kind, name->name);
	size_t used = strlen(w->missing), length = strlen(hint);
	/* the names that fit are listed; the count says how many there are */
	if (used + length + 3 < sizeof w->missing) {
		if (used) {
			memcpy(w->missing + used, "; ", 2);
			used += 2;
		}
		memcpy(w->missing + used, hint, length + 1);
	}
	w->missing_count++;
}

static int visit_listed(void *ctx, const struct depot_name *name)
{
	struct walk *w = ctx;
	int present;
	if (!strcmp(name->kind, "src")) {
		present = has_bin(w, name);
	} else {
		present = in_tree(w->tree, name);
		for (size_t i = 0; !present && i < w->count; i++)
			present = same_archive(&w->names[i], name);
	}
	if (!present)
		note_missing(w, name);
	return DEPOT_OK;
}

static int check_pkg(const char *depot, struct walk *w,
                     const struct depot_name *pkg, struct depot_diag *diag)
{
	char text[DEPOT_NAME_MAX], file[PATH_MAX], *list;
	size_t length = 0;
	depot_name_format(pkg, text);
	int err = fs_pathf(file, diag, "%s/%s.tar.zst", depot, text);
	if (!err)
		err = read_archives_list(file, &list, &length, diag);
	if (err)
		return err;
	w->missing[0] = '\0';
	w->missing_count = 0;
	err = depot_archives_parse(list, length, visit_listed, w, diag);
	free(list);
	if (!err && w->missing_count)
		err = diag_set(
			diag, DEPOT_E_UNPUBLISHED, text,
			"%zu archive%s it "
			"lists %s neither in the tree nor published with "
			"it: %s",
			w->missing_count, w->missing_count == 1 ? "" : "s",
			w->missing_count == 1 ? "is" : "are", w->missing);
	return err;
}

int publish_check_closure(const char *depot, const char *tree,
                          const struct depot_name *names, size_t count,
                          struct depot_diag *diag)
{
	struct walk w = { .tree = tree, .names = names, .count = count };
	int err = DEPOT_OK;
	for (size_t i = 0; !err && i < count; i++)
		if (!strcmp(names[i].kind, "pkg"))
			err = check_pkg(depot, &w, &names[i], diag);
	return err;
}
