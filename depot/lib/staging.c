/*
 * Staging directories. An install extracts into <depot>/.staging/XXXXXX
 * and renames the result into place, so the depot never shows half an
 * archive. The directory is flock'ed for as long as its process lives:
 * the kernel drops the lock when the process dies, however it dies, and
 * depot_staging_cleanup() removes every staging directory whose lock it can
 * take.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"
#include "staging.h"

static int staging_root(const char *depot, char out[PATH_MAX],
                        struct depot_diag *diag)
{
	if (snprintf(out, PATH_MAX, "%s/.staging", depot) >= PATH_MAX)
		return diag_set(diag, DEPOT_E_USAGE, depot, "path too long");
	return fs_mkdirs(out, diag);
}

/* Same directory still at `path` as the one `fd` refers to? A cleaner of
 * another process may have removed it between mkdtemp and flock. */
static int still_there(const char *path, int fd)
{
	struct stat a, b;
	return stat(path, &a) == 0 && fstat(fd, &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

int staging_open(const char *depot, struct staging *s, struct depot_diag *diag)
{
	char root[PATH_MAX];
	int err = staging_root(depot, root, diag);
	for (int attempt = 0; !err && attempt < 8; attempt++) {
		err = fs_pathf(s->path, diag, "%s/XXXXXX", root);
		if (err)
			return err;
		if (!mkdtemp(s->path))
			return diag_errno(diag, root);
		s->fd = open(s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->fd < 0)
			continue;
		if (flock(s->fd, LOCK_EX) == 0 && still_there(s->path, s->fd))
			return DEPOT_OK;
		close(s->fd);
	}
	return err ? err
	           : diag_set(diag, DEPOT_E_IO, root,
	                      "cannot create a staging directory");
}

void staging_close(struct staging *s)
{
	fs_remove_tree(s->path, NULL);
	close(s->fd);
	s->fd = -1;
}

/* Removes one entry of .staging when no live process holds it. */
static int cleanup_one(const char *path, struct depot_diag *diag)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? DEPOT_OK : fs_remove_tree(path, diag);
	int err = DEPOT_OK;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		err = fs_remove_tree(path, diag);
	close(fd);
	return err;
}

int depot_staging_cleanup(const char *depot, struct depot_diag *diag)
{
	char root[PATH_MAX];
	int err = staging_root(depot, root, diag);
	DIR *dir = err ? NULL : opendir(root);
	if (!err && !dir)
		return diag_errno(diag, root);
	struct dirent *d;
	while (!err && (d = readdir(dir))) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		char *path = fs_join(root, d->d_name);
		err = path ? cleanup_one(path, diag)
		           : diag_set(diag, DEPOT_E_NOMEM, root, NULL);
		free(path);
	}
	if (dir)
		closedir(dir);
	return err;
}
