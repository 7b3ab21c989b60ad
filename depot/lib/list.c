/*
 * Enumerating installed archives: walks <depot>/<user>/<kind>/<name>/<version>
 * (and bin/<arch>/...), in byte order at every level, reporting each version
 * directory. Archive files and manifests beside them are not archives; the
 * depot's own dot-directories (.staging, .download) are skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "fsutil.h"

struct walk {
	const char *depot;
	depot_archive_fn fn;
	void *ctx;
	struct depot_diag *diag;
};

static int skip_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int byte_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

typedef int (*level_fn)(struct walk *w, struct depot_name *n, const char *path,
                        const char *part);

/* Calls `fn` for each subdirectory of `path` (a missing one is empty). */
static int each_dir(struct walk *w, struct depot_name *n, const char *path,
                    level_fn fn)
{
	struct dirent **list;
	int count = scandir(path, &list, skip_dots, byte_order);
	if (count < 0)
		return errno == ENOENT || errno == ENOTDIR
		               ? DEPOT_OK
		               : diag_errno(w->diag, path);
	int err = DEPOT_OK;
	for (int i = 0; i < count; i++) {
		char child[PATH_MAX];
		struct stat st;
		if (!err &&
		    fs_pathf(child, w->diag, "%s/%s", path, list[i]->d_name) ==
		            DEPOT_OK &&
		    lstat(child, &st) == 0 && S_ISDIR(st.st_mode) &&
		    depot_part_valid(list[i]->d_name))
			err = fn(w, n, child, list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return err;
}

static int at_version(struct walk *w, struct depot_name *n, const char *path,
                      const char *part)
{
	(void)path;
	snprintf(n->version, sizeof n->version, "%s", part);
	return w->fn(w->ctx, n);
}

static int at_name(struct walk *w, struct depot_name *n, const char *path,
                   const char *part)
{
	snprintf(n->name, sizeof n->name, "%s", part);
	return each_dir(w, n, path, at_version);
}

static int at_arch(struct walk *w, struct depot_name *n, const char *path,
                   const char *part)
{
	snprintf(n->arch, sizeof n->arch, "%s", part);
	return each_dir(w, n, path, at_name);
}

static int at_kind(struct walk *w, struct depot_name *n, const char *path,
                   const char *part)
{
	if (!depot_kind_valid(part))
		return DEPOT_OK;
	snprintf(n->kind, sizeof n->kind, "%s", part);
	n->arch[0] = '\0';
	return each_dir(w, n, path,
	                strcmp(part, "bin") == 0 ? at_arch : at_name);
}

static int at_user(struct walk *w, struct depot_name *n, const char *path,
                   const char *part)
{
	snprintf(n->user, sizeof n->user, "%s", part);
	return each_dir(w, n, path, at_kind);
}

int depot_list(const char *depot, depot_archive_fn fn, void *ctx,
               struct depot_diag *diag)
{
	struct walk w = { depot, fn, ctx, diag };
	struct depot_name n = { 0 };
	return each_dir(&w, &n, depot, at_user);
}
