/*
 * The Report service's sink on linux (report_sink.h): files of
 * DIR/report. A report is written as `.<name>.tmp` and renamed over
 * `<name>`, so a reader sees the old or the new report, never a part. No
 * fsync: reports do not outlive a run of core (the next start removes
 * them), and core's entrypoint must not wait on the disk for whoever
 * submits.
 */
#include "report_sink.h"

#include "report_service.h"
#include "target.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct report_sink {
	struct target *target;
	int dir_fd; /* DIR/report */
};

static int write_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		ssize_t n = write(fd, data, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		length -= (size_t)n;
	}
	return 0;
}

int report_sink_write(struct report_sink *sink, const char *name,
                      const void *data, size_t length, const char **why)
{
	char temp[REPORT_FILE_NAME_MAX + 16];
	snprintf(temp, sizeof(temp), ".%s.tmp", name);
	int fd = openat(sink->dir_fd, temp,
	                O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	                0644);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	int rc = write_all(fd, data, length);
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0)
		rc = renameat(sink->dir_fd, temp, sink->dir_fd, name);
	if (rc != 0) {
		*why = strerror(errno);
		unlinkat(sink->dir_fd, temp, 0);
		return -1;
	}
	return 0;
}

int report_sink_remove(struct report_sink *sink, const char *name,
                       const char **why)
{
	if (unlinkat(sink->dir_fd, name, 0) != 0 && errno != ENOENT) {
		*why = strerror(errno);
		return -1;
	}
	return 0;
}

/* Removes the reports a run of core before this one left (every regular
 * file in report/): a report is there only while a session holds it. */
static void remove_leftovers(struct report_sink *s)
{
	int fd = dup(s->dir_fd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	unsigned removed = 0;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (struct dirent *e; (e = readdir(dir));) {
		struct stat st;
		if (fstatat(s->dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		            0 &&
		    (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
		    unlinkat(s->dir_fd, e->d_name, 0) == 0)
			removed++;
	}
	closedir(dir);
	if (removed)
		target_logf(s->target,
		            "removed %u reports left in report/ by an "
		            "earlier run",
		            removed);
}

int report_sink_open(struct target *target, struct report_sink **out)
{
	char path[PATH_MAX + 16];
	struct report_sink *s = malloc(sizeof(*s));
	if (!s)
		return KERR_NOMEM;
	s->target = target;
	snprintf(path, sizeof(path), "%s/report", target->dir);
	s->dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0) {
		free(s);
		return KERR_INVALID;
	}
	remove_leftovers(s);
	*out = s;
	return 0;
}

void report_sink_close(struct report_sink *sink)
{
	if (!sink)
		return;
	close(sink->dir_fd);
	free(sink);
}
