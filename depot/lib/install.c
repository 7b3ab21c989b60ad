/*
 * Installing and removing archives in a depot. An install extracts into a
 * fresh staging directory, writes the manifest there, then renames first
 * the manifest and then the content directory into place: the directory's
 * rename is the moment the archive becomes installed, and it is atomic.
 * Removal renames the directory out of the way first, for the same reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "extract.h"
#include "fsutil.h"
#include "install.h"
#include "staging.h"

struct depot_limits depot_limits_default(void)
{
	return (struct depot_limits){ .max_bytes = 1ull << 30,
		                      .max_entries = 100000 };
}

/* <depot>/<name> and, when `suffix`, that path with the suffix. */
static int archive_path(const char *depot, const struct depot_name *name,
                        const char *suffix, char out[PATH_MAX],
                        struct depot_diag *diag)
{
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	if (snprintf(out, PATH_MAX, "%s/%s%s", depot, text,
	             suffix ? suffix : "") >= PATH_MAX)
		return diag_set(diag, DEPOT_E_USAGE, text, "path too long");
	return DEPOT_OK;
}

int depot_installed(const char *depot, const struct depot_name *name)
{
	char path[PATH_MAX];
	struct stat st;
	return archive_path(depot, name, NULL, path, NULL) == DEPOT_OK &&
	       lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int write_manifest(const char *path, char *text, size_t length,
                          struct depot_diag *diag)
{
	return fs_write_atomic(path, text, length, diag);
}

static int count_listed(void *ctx, const struct depot_name *name)
{
	(void)name;
	(*(size_t *)ctx)++;
	return DEPOT_OK;
}

/* A pkg must carry a valid runtime file and archives list: what init and
 * the closure walk read later is checked before it is installed. */
static int check_pkg(const char *content, struct depot_diag *diag)
{
	char *text = NULL;
	size_t length, listed = 0;
	int err = fs_read_beneath(content, "runtime", 1 << 20, &text, &length,
	                          diag);
	if (!err)
		err = depot_runtime_validate(text, length, diag);
	free(text);
	text = NULL;
	if (!err)
		err = fs_read_beneath(content, "archives", 1 << 20, &text,
		                      &length, diag);
	if (!err)
		err = depot_archives_parse(text, length, count_listed, &listed,
		                           diag);
	free(text);
	return err;
}

/* Puts the staged content in the place of a damaged installed copy in
 * one rename (RENAME_EXCHANGE): the old copy is in staging afterwards,
 * removed with it, so until this moment it stays where it was. */
static int replace_content(const char *content, const char *final,
                           struct depot_diag *diag)
{
	if (renameat2(AT_FDCWD, content, AT_FDCWD, final, RENAME_EXCHANGE) == 0)
		return DEPOT_OK;
	if (errno == ENOENT && rename(content, final) == 0)
		return DEPOT_OK; /* the damaged copy went meanwhile */
	return diag_errno(diag, final);
}

int install_commit(const char *into, const struct depot_name *name,
                   const struct staging *s, char *manifest_text,
                   size_t manifest_length, int replace, struct depot_diag *diag)
{
	char content[PATH_MAX] = "", manifest[PATH_MAX] = "",
	     final[PATH_MAX] = "", final_manifest[PATH_MAX] = "";
	int err = fs_pathf(content, diag, "%s/content", s->path);
	if (!err)
		err = fs_pathf(manifest, diag, "%s/manifest", s->path);
	if (!err)
		err = archive_path(into, name, NULL, final, diag);
	if (!err)
		err = archive_path(into, name, ".manifest", final_manifest,
		                   diag);
	if (!err && strcmp(name->kind, "pkg") == 0)
		err = check_pkg(content, diag);
	if (!err)
		err = write_manifest(manifest, manifest_text, manifest_length,
		                     diag);
	if (!err)
		err = fs_mkdirs_parent(final, diag);
	if (!err && rename(manifest, final_manifest) < 0)
		err = diag_errno(diag, final_manifest);
	if (!err && replace)
		return replace_content(content, final, diag);
	if (!err && rename(content, final) < 0)
		err = (errno == EEXIST || errno == ENOTEMPTY)
		              ? DEPOT_OK /* a concurrent run installed it first */
		              : diag_errno(diag, final);
	return err;
}

int install_pending_dir(const char *depot, char out[PATH_MAX],
                        struct depot_diag *diag)
{
	return fs_pathf(out, diag, "%s/.pending", depot);
}

int install_pending_lock(const char *depot, int *fd, struct depot_diag *diag)
{
	char path[PATH_MAX];
	int err = fs_pathf(path, diag, "%s/.pending.lock", depot);
	if (!err)
		err = fs_mkdirs_parent(path, diag);
	*fd = err ? -1 : open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
	if (!err && (*fd < 0 || flock(*fd, LOCK_SH) < 0)) {
		err = diag_errno(diag, path);
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
	return err;
}

/* nftw gives no context pointer: the report of the one cleanup walking,
 * set and cleared by depot_pending_cleanup. */
static struct {
	depot_leftover_fn report;
	void *ctx;
	size_t skip; /* length of "<depot>/" */
} pending_walk;

/* Reports <depot>/.pending/<user>/<kind>/<name>/<version> directories. */
static int report_pending(const char *path, const struct stat *st, int type,
                          struct FTW *ftw)
{
	(void)st;
	if (type == FTW_D && ftw->level == 4)
		pending_walk.report(pending_walk.ctx, path + pending_walk.skip);
	return 0;
}

int depot_pending_cleanup(const char *depot, int remove,
                          depot_leftover_fn report, void *ctx,
                          struct depot_diag *diag)
{
	char pending[PATH_MAX], lock[PATH_MAX];
	int err = install_pending_dir(depot, pending, diag);
	if (!err)
		err = fs_pathf(lock, diag, "%s/.pending.lock", depot);
	if (err || access(pending, F_OK) < 0)
		return err;
	int fd = open(lock, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return diag_errno(diag, lock);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return errno == EWOULDBLOCK ? DEPOT_OK : diag_errno(diag, lock);
	}
	pending_walk.report = report;
	pending_walk.ctx = ctx;
	pending_walk.skip = strlen(depot) + 1;
	if (report && nftw(pending, report_pending, 16, FTW_PHYS) < 0)
		err = diag_errno(diag, pending);
	pending_walk.report = NULL;
	if (!err && remove)
		err = fs_remove_tree(pending, diag);
	close(fd);
	return err;
}

int install_promote(const char *depot, const struct depot_name *name,
                    struct depot_diag *diag)
{
	char pending[PATH_MAX], from[PATH_MAX], from_manifest[PATH_MAX],
		final[PATH_MAX], final_manifest[PATH_MAX];
	int err = install_pending_dir(depot, pending, diag);
	if (!err)
		err = archive_path(pending, name, NULL, from, diag);
	if (!err)
		err = archive_path(pending, name, ".manifest", from_manifest,
		                   diag);
	if (!err)
		err = archive_path(depot, name, NULL, final, diag);
	if (!err)
		err = archive_path(depot, name, ".manifest", final_manifest,
		                   diag);
	if (err)
		return err;
	if (!depot_installed(pending, name))
		return depot_installed(depot, name)
		               ? DEPOT_OK
		               : diag_set(
					 diag, DEPOT_E_NOT_INSTALLED, from,
					 "the pending "
					 "pkg vanished before its closure was complete");
	if (depot_installed(depot, name)) /* a concurrent run was first */
		return fs_remove_tree(from, diag);
	err = fs_mkdirs_parent(final, diag);
	/* A run killed between the two renames moved the manifest already. */
	if (!err && rename(from_manifest, final_manifest) < 0 &&
	    (errno != ENOENT || access(final_manifest, F_OK) < 0))
		err = diag_errno(diag, final_manifest);
	if (!err && rename(from, final) < 0)
		err = (errno == EEXIST || errno == ENOTEMPTY)
		              ? fs_remove_tree(from, diag)
		              : diag_errno(diag, final);
	return err;
}

/* Extracts into the staging directory and renames into place below
 * `into`. */
static int install_staged(const char *into, const struct depot_name *name,
                          const char *archive_file,
                          const struct depot_limits *limits, int replace,
                          const struct staging *s, struct depot_diag *diag)
{
	char content[PATH_MAX] = "";
	int err = fs_pathf(content, diag, "%s/content", s->path);
	if (!err && mkdir(content, 0755) < 0)
		err = diag_errno(diag, content);
	char *text = NULL;
	size_t length = 0;
	FILE *lines = err ? NULL : open_memstream(&text, &length);
	if (!err && !lines)
		err = diag_set(diag, DEPOT_E_NOMEM, archive_file, NULL);
	if (!err)
		err = extract_safe(archive_file, content, limits, lines, diag);
	if (lines)
		fclose(lines);
	if (!err)
		err = install_commit(into, name, s, text, length, replace,
		                     diag);
	free(text);
	return err;
}

int depot_install(const char *depot, const struct depot_name *name,
                  const char *archive_file, const struct depot_limits *limits,
                  struct depot_diag *diag)
{
	int err = depot_staging_cleanup(depot, diag);
	if (err || depot_installed(depot, name))
		return err;
	return install_file(depot, depot, name, archive_file, limits, 0, diag);
}

int install_file(const char *depot, const char *into,
                 const struct depot_name *name, const char *archive_file,
                 const struct depot_limits *limits, int replace,
                 struct depot_diag *diag)
{
	struct depot_limits defaults = depot_limits_default();
	struct staging s;
	int err = staging_open(depot, &s, diag);
	if (err)
		return err;
	err = install_staged(into, name, archive_file,
	                     limits ? limits : &defaults, replace, &s, diag);
	staging_close(&s);
	return err;
}

int depot_remove(const char *depot, const struct depot_name *name,
                 struct depot_diag *diag)
{
	char final[PATH_MAX], manifest[PATH_MAX], trash[PATH_MAX];
	int err = archive_path(depot, name, NULL, final, diag);
	if (!err)
		err = archive_path(depot, name, ".manifest", manifest, diag);
	if (err)
		return err;
	if (!depot_installed(depot, name))
		return diag_set(diag, DEPOT_E_NOT_INSTALLED,
		                final + strlen(depot) + 1, NULL);
	struct staging s;
	err = staging_open(depot, &s, diag);
	if (err)
		return err;
	err = fs_pathf(trash, diag, "%s/removed", s.path);
	if (!err && rename(final, trash) < 0)
		err = diag_errno(diag, final);
	if (!err && unlink(manifest) < 0 && errno != ENOENT)
		err = diag_errno(diag, manifest);
	staging_close(&s);
	return err;
}
