/*
 * The download cache, <depot>/.download/: where `depot fetch` and `depot
 * download` keep <archive>.tar.zst.part while bytes arrive (fetch.c). A
 * transfer holds an flock on its .part, so a file nobody holds is what a
 * killed or failed run left: fetch.c resumes it when the same archive is
 * fetched again, and depot_download_cleanup() (run by `depot gc`) removes
 * it for good, with the directories that become empty.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"

struct sweep {
	const char *depot;
	int remove;
	depot_leftover_fn report;
	void *ctx;
	struct depot_diag *diag;
};

/* One file: removed (or reported) unless a running transfer holds it. */
static int sweep_file(struct sweep *s, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return DEPOT_OK;
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return DEPOT_OK; /* a transfer is writing it */
	}
	/* Unlink while holding the lock: a transfer starting now creates a
	 * new .part rather than writing into this one. */
	int err = s->remove && unlink(path) < 0 && errno != ENOENT
	                  ? diag_errno(s->diag, path)
	                  : DEPOT_OK;
	if (fd >= 0)
		close(fd);
	if (!err && s->report)
		s->report(s->ctx, path + strlen(s->depot) + 1);
	return err;
}

static int sweep_dir(struct sweep *s, const char *dir_path, int depth)
{
	DIR *dir = opendir(dir_path);
	if (!dir)
		return errno == ENOENT ? DEPOT_OK
		                       : diag_errno(s->diag, dir_path);
	int err = DEPOT_OK;
	struct dirent *d;
	while (!err && (d = readdir(dir))) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		char *path = fs_join(dir_path, d->d_name);
		struct stat st;
		if (!path)
			err = diag_set(s->diag, DEPOT_E_NOMEM, dir_path, NULL);
		else if (lstat(path, &st) < 0)
			err = errno == ENOENT ? DEPOT_OK
			                      : diag_errno(s->diag, path);
		else if (S_ISDIR(st.st_mode) && depth < 16)
			err = sweep_dir(s, path, depth + 1);
		else if (!S_ISDIR(st.st_mode))
			err = sweep_file(s, path);
		free(path);
	}
	closedir(dir);
	if (!err && s->remove && depth > 0)
		rmdir(dir_path); /* only when empty; a busy one stays */
	return err;
}

int depot_download_cleanup(const char *depot, int remove,
                           depot_leftover_fn report, void *ctx,
                           struct depot_diag *diag)
{
	char root[PATH_MAX];
	int err = fs_pathf(root, diag, "%s/.download", depot);
	struct sweep s = { depot, remove, report, ctx, diag };
	return err ? err : sweep_dir(&s, root, 0);
}
