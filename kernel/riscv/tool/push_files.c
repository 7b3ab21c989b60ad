/*
 * The files a host pushes (push_files.h), read bounded: a file is never
 * read past CONTROL_FILE_MAX + 1 bytes, a directory never past the
 * caller's count of names.
 */
#include "push_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int push_file_read(const char *path, int follow, unsigned char **bytes,
                   size_t *size, char *why, size_t why_size)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
	                            (follow ? 0 : O_NOFOLLOW));
	unsigned char *buf = NULL;
	size_t got = 0;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, why_size, "cannot read '%s': %s", path,
		         fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	buf = malloc(CONTROL_FILE_MAX + 1);
	while (buf && got < CONTROL_FILE_MAX + 1) {
		ssize_t n = read(fd, buf + got, CONTROL_FILE_MAX + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0) {
				snprintf(why, why_size, "cannot read '%s': %s",
				         path, strerror(errno));
				free(buf);
				close(fd);
				return -1;
			}
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (!buf) {
		snprintf(why, why_size, "cannot read '%s': out of memory",
		         path);
		return -1;
	}
	*bytes = buf;
	*size = got;
	return 0;
}

void push_names_free(char **names, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		free(names[i]);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int push_archive_names(const char *dir, char **names, unsigned max,
                       unsigned *count, char *why, size_t why_size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int err = 0;

	*count = 0;
	if (!d) {
		snprintf(why, why_size, "cannot read the archive '%s': %s", dir,
		         strerror(errno));
		return -1;
	}
	while (!err && (e = readdir(d)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.' ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISREG(st.st_mode))
			continue;
		if (*count == max) {
			snprintf(why, why_size,
			         "the archive '%s' has more than %u files", dir,
			         max);
			err = -1;
		} else if (!(names[*count] = strdup(e->d_name))) {
			snprintf(why, why_size, "out of memory");
			err = -1;
		} else {
			(*count)++;
		}
	}
	closedir(d);
	if (err) {
		push_names_free(names, *count);
		*count = 0;
		return -1;
	}
	qsort(names, *count, sizeof(names[0]), by_name);
	return 0;
}

void push_archive_free(struct control_file *files, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		free((void *)files[i].name);
		free((void *)files[i].bytes);
	}
}

int push_archive_read(const char *dir, struct control_file *files,
                      unsigned *count, char *why, size_t why_size)
{
	char *names[CONTROL_ARCHIVE_FILES_MAX], path[4096];
	unsigned n;
	int err = 0;

	*count = 0;
	if (push_archive_names(dir, names, CONTROL_ARCHIVE_FILES_MAX, &n, why,
	                       why_size))
		return -1;
	for (unsigned i = 0; i < n; i++) {
		unsigned char *bytes = NULL;
		size_t size = 0;

		if (!err && snprintf(path, sizeof(path), "%s/%s", dir,
		                     names[i]) >= (int)sizeof(path)) {
			snprintf(why, why_size,
			         "the path of '%s' in '%s' is "
			         "too long",
			         names[i], dir);
			err = -1;
		}
		if (!err)
			err = push_file_read(path, 0, &bytes, &size, why,
			                     why_size);
		if (err) {
			free(names[i]);
			continue;
		}
		files[*count].name = names[i];
		files[*count].bytes = bytes;
		files[*count].size = size;
		(*count)++;
	}
	if (err) {
		push_archive_free(files, *count);
		*count = 0;
	}
	return err;
}
