/*
 * File-system helpers shared by the rooms of libdepot. Tree removal uses
 * nftw with FTW_PHYS so that a symlink is removed, never followed. Files
 * inside an installed archive are opened with openat2(RESOLVE_BENEATH):
 * the kernel, not a spelling check, keeps the resolution inside.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "fsutil.h"
#include "diag.h"

char *fs_join(const char *a, const char *b)
{
	char *out = NULL;
	if (asprintf(&out, "%s/%s", a, b) < 0)
		return NULL;
	return out;
}

int fs_pathf(char *out, struct depot_diag *diag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, PATH_MAX, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start just above
	va_end(ap);
	if (n < 0 || n >= PATH_MAX)
		return diag_set(diag, DEPOT_E_USAGE, out, "path too long");
	return DEPOT_OK;
}

int fs_mkdirs(const char *path, struct depot_diag *diag)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return diag_set(diag, DEPOT_E_USAGE, path, "path too long");
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return diag_errno(diag, buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return diag_errno(diag, buf);
	return DEPOT_OK;
}

int fs_mkdirs_parent(const char *path, struct depot_diag *diag)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return diag_set(diag, DEPOT_E_USAGE, path, "path too long");
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return DEPOT_OK;
	*slash = '\0';
	return fs_mkdirs(buf, diag);
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int rc = (type == FTW_DP) ? rmdir(path) : unlink(path);
	return (rc < 0 && errno != ENOENT) ? -1 : 0;
}

int fs_remove_tree(const char *path, struct depot_diag *diag)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? DEPOT_OK : diag_errno(diag, path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? diag_errno(diag, path) : DEPOT_OK;
	/* Directories may have been extracted without write permission. */
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		return diag_errno(diag, path);
	return DEPOT_OK;
}

int fs_open_beneath(const char *root, const char *path, int *fd,
                    struct depot_diag *diag)
{
	char full[PATH_MAX];
	*fd = -1;
	int err = fs_pathf(full, diag, "%s/%s", root, path);
	if (err)
		return err;
	int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return diag_errno(diag, root);
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
		           RESOLVE_NO_XDEV,
	};
	*fd = (int)syscall(SYS_openat2, dir, path, &how, sizeof how);
	int saved = errno;
	close(dir);
	if (*fd >= 0)
		return DEPOT_OK;
	if (saved == EXDEV)
		return diag_set(diag, DEPOT_E_LINK_ESCAPE, full,
		                "resolves "
		                "outside '%s'",
		                root);
	errno = saved;
	return diag_errno(diag, full);
}

/* Reads at most `max` bytes from `fd` and closes it; `path` names it. */
static int read_fd(int fd, const char *path, size_t max, char **out,
                   size_t *length, struct depot_diag *diag)
{
	char *buf = malloc(max + 1);
	if (!buf) {
		close(fd);
		return diag_set(diag, DEPOT_E_NOMEM, path, NULL);
	}
	size_t used = 0;
	ssize_t n = 0;
	while (used <= max && (n = read(fd, buf + used, max + 1 - used)) > 0)
		used += (size_t)n;
	close(fd);
	if (n < 0) {
		free(buf);
		return diag_errno(diag, path);
	}
	if (used > max) {
		free(buf);
		return diag_set(diag, DEPOT_E_TOO_LARGE, path,
		                "file longer than %zu bytes", max);
	}
	buf[used] = '\0';
	*out = buf;
	if (length)
		*length = used;
	return DEPOT_OK;
}

int fs_read_file(const char *path, size_t max, char **out, size_t *length,
                 struct depot_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(diag, path);
	return read_fd(fd, path, max, out, length, diag);
}

int fs_read_beneath(const char *root, const char *path, size_t max, char **out,
                    size_t *length, struct depot_diag *diag)
{
	int fd;
	int err = fs_open_beneath(root, path, &fd, diag);
	return err ? err : read_fd(fd, path, max, out, length, diag);
}

int depot_read_installed(const char *root, const char *path, size_t max,
                         char **out, size_t *length, struct depot_diag *diag)
{
	char full[PATH_MAX];
	int err = fs_pathf(full, diag, "%s/%s", root, path);
	if (err)
		return err;
	int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return errno == ENOENT ? diag_set(diag, DEPOT_E_NOT_INSTALLED,
		                                  root, "no such depot")
		                       : diag_errno(diag, root);
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		           RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, dir, path, &how, sizeof how);
	int saved = errno;
	close(dir);
	if (fd < 0 && saved == ENOENT)
		return diag_set(diag, DEPOT_E_NOT_INSTALLED, full,
		                "no such file");
	/* ELOOP: a symlink on the way; EXDEV: '..' above root, an absolute
	 * link or a mount */
	if (fd < 0 && (saved == ELOOP || saved == EXDEV))
		return diag_set(diag, DEPOT_E_LINK_ESCAPE, full,
		                "a symbolic "
		                "link or '..' on the way, or outside '%s'",
		                root);
	errno = saved;
	if (fd < 0)
		return diag_errno(diag, full);
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return diag_set(diag, DEPOT_E_SPECIAL_FILE, full,
		                "not a regular file");
	}
	if (fcntl(fd, F_SETFL, 0) < 0) {
		err = diag_errno(diag, full);
		close(fd);
		return err;
	}
	return read_fd(fd, full, max, out, length, diag);
}

int fs_write_atomic(const char *path, const void *data, size_t length,
                    struct depot_diag *diag)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
		return diag_set(diag, DEPOT_E_USAGE, path, "path too long");
	int err = fs_mkdirs_parent(path, diag);
	if (err)
		return err;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return diag_errno(diag, tmp);
	const char *p = data;
	size_t left = length;
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0) {
			err = diag_errno(diag, tmp);
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	if (!err && (fchmod(fd, 0644) < 0 || fsync(fd) < 0))
		err = diag_errno(diag, tmp);
	close(fd);
	if (!err && rename(tmp, path) < 0)
		err = diag_errno(diag, path);
	if (err)
		unlink(tmp);
	return err;
}
