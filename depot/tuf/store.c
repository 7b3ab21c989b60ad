/*
 * Files for libtuf: whole-file reads with a size bound, atomic writes, and
 * role-name quoting. Trusted metadata is always written with store_write so
 * a crash leaves either the old or the new file, never a torn one.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metadata.h"

int store_read(const char *path, size_t max, unsigned char **data, size_t *len,
               struct tuf_error *e)
{
	*data = NULL; /* stays NULL unless the read succeeds */
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int code = errno == ENOENT ? TUF_E_NOT_FOUND : TUF_E_IO;
		return tuf_fail(e, code, "cannot open '%s': %s", path,
		                strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		close(fd);
		return tuf_fail(
			e, TUF_E_IO,
			"'%s' is not a regular file of at most %zu bytes", path,
			max);
	}
	size_t n = (size_t)st.st_size, got = 0;
	unsigned char *d = malloc(n + 1);
	if (!d) {
		close(fd);
		return tuf_fail(e, TUF_E_NOMEM, "out of memory reading '%s'",
		                path);
	}
	while (got < n) {
		ssize_t r = read(fd, d + got, n - got);
		if (r <= 0) {
			free(d);
			close(fd);
			return tuf_fail(e, TUF_E_IO, "cannot read '%s'", path);
		}
		got += (size_t)r;
	}
	close(fd);
	d[n] = 0;
	*data = d;
	*len = n;
	return TUF_OK;
}

static int write_all(int fd, const unsigned char *d, size_t n)
{
	while (n) {
		ssize_t w = write(fd, d, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		d += w;
		n -= (size_t)w;
	}
	return 0;
}

static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return;
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int store_write(const char *path, const void *data, size_t len, int mode,
                struct tuf_error *e)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return tuf_fail(e, TUF_E_NOMEM, "out of memory writing '%s'",
		                path);
	snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int err = tuf_fail(e, TUF_E_IO,
		                   "cannot create a file beside '%s': %s", path,
		                   strerror(errno));
		free(tmp);
		return err;
	}
	int ok = fchmod(fd, (mode_t)mode) == 0 &&
	         write_all(fd, data, len) == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		int err = tuf_fail(e, TUF_E_IO, "cannot write '%s': %s", path,
		                   strerror(errno));
		unlink(tmp);
		free(tmp);
		return err;
	}
	free(tmp);
	sync_dir(path);
	return TUF_OK;
}

char *store_quote(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(name) * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '~' || *p == '-') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = 0;
	return out;
}

char *store_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int slash = dl && dir[dl - 1] == '/';
	char *p = malloc(dl + strlen(name) + 2);
	if (p)
		sprintf(p, "%s%s%s", dir, slash ? "" : "/", name);
	return p;
}
