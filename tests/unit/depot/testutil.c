/*
 * Scratch directories and file helpers for the libdepot unit tests (see
 * testutil.h). Failures abort the test: they are bugs in the test setup.
 */
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *path = NULL;
	if (asprintf(&path, "%s/depot-unit-XXXXXX", base ? base : "/tmp") < 0 ||
	    !mkdtemp(path))
		abort();
	return path;
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

void tu_rmdir(char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(path);
}

const char *tu_path(const char *dir, const char *rel)
{
	static char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s/%s", dir, rel);
	return buf;
}

void tu_write(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

int tu_exists(const char *dir, const char *rel)
{
	struct stat st;
	return lstat(tu_path(dir, rel), &st) == 0;
}

int tu_count(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

const char *tu_read(const char *dir, const char *rel)
{
	static char buf[65536];
	FILE *f = fopen(tu_path(dir, rel), "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}
