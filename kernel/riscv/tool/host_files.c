/*
 * The files the host makes of the console (host_files.h): log files,
 * reports and the list of live domains, each beneath the descriptor of
 * its folder, never following a link.
 */
#include "host_files.h"

#include "printable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DOMAINS_FILE "domains"
#define LABEL_SEP " -> "

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes `name` in folder `dir_fd` whole: `.name.tmp`, then a rename;
 * modified at `mtime`. */
static int replace_file(int dir_fd, const char *name, const void *data,
                        size_t len, const struct timespec *mtime)
{
	char temp[FRAME_ARG_MAX + 16];
	snprintf(temp, sizeof(temp), ".%s.tmp", name);
	int fd = openat(dir_fd, temp,
	                O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	                0644);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
	if (rc == 0) {
		const struct timespec times[2] = { { 0, UTIME_OMIT }, *mtime };
		rc = futimens(fd, times);
	}
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0)
		rc = renameat(dir_fd, temp, dir_fd, name);
	if (rc != 0)
		unlinkat(dir_fd, temp, 0);
	return rc;
}

/* --- logs -------------------------------------------------------------- */

/* A module name as linux core checks it (core/target.c). */
static int module_name_ok(const char *name, size_t len)
{
	return len > 0 && len <= LOG_NAME_MAX && name[0] != '.' &&
	       !memchr(name, '/', len);
}

/* The log file of a label's first element: "FIRST.log" or
 * "unnamed.log", into file[LOG_NAME_MAX + 8]. `end`: where the label
 * ends. */
static void log_file_of(const char *label, const char *end, char *file)
{
	size_t len = (size_t)(end - label);
	const char *sep = strstr(label, LABEL_SEP);
	if (sep && sep < end)
		len = (size_t)(sep - label);
	if (module_name_ok(label, len))
		snprintf(file, LOG_NAME_MAX + 8, "%.*s.log", (int)len, label);
	else
		snprintf(file, LOG_NAME_MAX + 8, "unnamed.log");
}

static void append_log(struct host_files *f, const char *file, const char *text,
                       size_t len)
{
	int fd = openat(f->log_fd, file,
	                O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	                0644);
	if (fd < 0)
		return;
	int full = 0;
	struct stat st;
	if (write_all(fd, text, len) == 0 && write_all(fd, "\n", 1) == 0)
		full = f->log_limit && fstat(fd, &st) == 0 &&
		       (uint64_t)st.st_size >= f->log_limit;
	close(fd);
	if (full) {
		char kept[LOG_NAME_MAX + 16];
		snprintf(kept, sizeof(kept), "%s.1", file);
		(void)renameat(f->log_fd, file, f->log_fd, kept);
	}
}

void host_files_log_file(const char *label, char file[LOG_NAME_MAX + 8])
{
	log_file_of(label, label + strlen(label), file);
}

static const char *domain_name(const struct live_domain *d)
{
	return d->label + d->name_at;
}

static const struct live_domain *domain_named(const struct host_files *f,
                                              const char *name, size_t len)
{
	for (unsigned i = 0; i < f->count; i++)
		if (strlen(domain_name(&f->domains[i])) == len &&
		    memcmp(domain_name(&f->domains[i]), name, len) == 0)
			return &f->domains[i];
	return NULL;
}

void host_files_line(struct host_files *f, const char *line, size_t len)
{
	static const char core[] = "[core] ";
	char file[LOG_NAME_MAX + 8];
	if (len < 2 || line[0] != '[')
		return; /* the kernel's, the firmware's */
	if (len >= sizeof(core) - 1 &&
	    memcmp(line, core, sizeof(core) - 1) == 0) {
		const char *rest = line + sizeof(core) - 1;
		const char *close = strchr(rest, ']');
		if (rest[0] == '[' && close) { /* "[LABEL] text": a LOG line */
			log_file_of(rest + 1, close, file);
			append_log(f, file, rest, len - (size_t)(rest - line));
		} else { /* core's own, "[core] text" as on linux */
			append_log(f, "core.log", line, len);
		}
		return;
	}
	/* "[NAME] text": a domain's own output, through the kernel */
	const char *close = memchr(line, ']', len);
	const struct live_domain *d =
		close ? domain_named(f, line + 1, (size_t)(close - line - 1))
		      : NULL;
	if (!d)
		return;
	log_file_of(d->label, d->label + strlen(d->label), file);
	append_log(f, file, line, len);
}

/* --- domains ----------------------------------------------------------- */

/* DIR/domains anew, whole (temp file, rename). */
static void write_domains(struct host_files *f)
{
	char temp[] = "." DOMAINS_FILE ".tmp";
	int fd = openat(f->dir_fd, temp,
	                O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	                0644);
	if (fd < 0)
		return;
	int rc = 0;
	for (unsigned i = 0; i < f->count && rc >= 0; i++) {
		const struct live_domain *d = &f->domains[i];
		rc = dprintf(fd, "%llu\t%s\t%s\n", (unsigned long long)d->id,
		             domain_name(d), d->label);
	}
	if (close(fd) != 0 || rc < 0 ||
	    renameat(f->dir_fd, temp, f->dir_fd, DOMAINS_FILE) != 0)
		unlinkat(f->dir_fd, temp, 0);
}

/* The label, made one printable line (control characters and tabs shown
 * as '?'), cut at DOMAIN_LABEL_MAX. */
static void take_label(struct live_domain *d, const unsigned char *body,
                       size_t size)
{
	size_t len = size < DOMAIN_LABEL_MAX ? size : DOMAIN_LABEL_MAX;
	for (size_t i = 0; i < len; i++)
		d->label[i] = (char)(body[i] < 0x20 || body[i] == 0x7f
		                             ? '?'
		                             : body[i]);
	d->label[len] = '\0';
	d->name_at = 0;
	for (const char *s = strstr(d->label, LABEL_SEP); s;
	     s = strstr(s + 1, LABEL_SEP))
		d->name_at = (size_t)(s - d->label) + strlen(LABEL_SEP);
}

static int find_domain(const struct host_files *f, uint64_t id)
{
	for (unsigned i = 0; i < f->count; i++)
		if (f->domains[i].id == id)
			return (int)i;
	return -1;
}

static int domain_created(struct host_files *f, const struct frame *fr,
                          char *why, size_t why_size)
{
	if (find_domain(f, fr->id) >= 0) {
		snprintf(why, why_size, "domain %llu was told twice",
		         (unsigned long long)fr->id);
		return -1;
	}
	if (f->count == DOMAINS_MAX) {
		snprintf(why, why_size, "more than %u live domains",
		         DOMAINS_MAX);
		return -1;
	}
	struct live_domain *d = &f->domains[f->count++];
	d->id = fr->id;
	take_label(d, fr->body, fr->size);
	write_domains(f);
	return 0;
}

static int domain_ended(struct host_files *f, uint64_t id, char *why,
                        size_t why_size)
{
	int i = find_domain(f, id);
	if (i < 0) {
		snprintf(why, why_size, "domain %llu does not live",
		         (unsigned long long)id);
		return -1;
	}
	f->domains[i] = f->domains[--f->count];
	write_domains(f);
	return 0;
}

/* --- a domain's output ------------------------------------------------- */

/* Why the line `s` (n bytes, no newline) cannot be a line of a log frame,
 * or NULL. */
static const char *log_line_why(const char *s, size_t n)
{
	static const char *const markers[] = { "(stdout) ", "(stderr) " };
	char copy[LOG_FRAME_LINE_MAX];
	if (n > LOG_FRAME_LINE_MAX)
		return "a line longer than LOG_FRAME_LINE_MAX";
	if (!(n >= 9 &&
	      (memcmp(s, markers[0], 9) == 0 || memcmp(s, markers[1], 9) == 0)))
		return "a line marked neither (stdout) nor (stderr)";
	memcpy(copy, s, n);
	if (printable_sanitize(copy, n) != n || memcmp(copy, s, n) != 0)
		return "a line that is not printable";
	return NULL;
}

/* Checks the whole body first: a refused frame writes nothing. */
static int log_lines(struct host_files *f, const struct frame *fr, char *why,
                     size_t why_size)
{
	int i = find_domain(f, fr->id);
	const char *body = (const char *)fr->body, *end = body + fr->size;
	if (i < 0) {
		snprintf(why, why_size,
		         "log of domain %llu, which does not live",
		         (unsigned long long)fr->id);
		return -1;
	}
	if (fr->size == 0 || body[fr->size - 1] != '\n') {
		snprintf(why, why_size, "log of domain %llu: %s",
		         (unsigned long long)fr->id,
		         "no lines, or the last without its newline");
		return -1;
	}
	for (const char *s = body; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *bad = log_line_why(s, (size_t)(nl - s));
		if (bad) {
			snprintf(why, why_size, "log of domain %llu: %s",
			         (unsigned long long)fr->id, bad);
			return -1;
		}
		s = nl + 1;
	}
	const struct live_domain *d = &f->domains[i];
	char file[LOG_NAME_MAX + 8];
	char text[DOMAIN_LABEL_MAX + LOG_FRAME_LINE_MAX + 8];
	log_file_of(d->label, d->label + strlen(d->label), file);
	for (const char *s = body; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		int len = snprintf(text, sizeof(text), "[%s] %.*s", d->label,
		                   (int)(nl - s), s);
		append_log(f, file, text, (size_t)len);
		if (f->on_log_line)
			f->on_log_line(f->on_log_line_ctx, d->label, text,
			               (size_t)len, fr->time_ns);
		s = nl + 1;
	}
	return 0;
}

void host_files_machine_ended(struct host_files *f)
{
	f->count = 0;
	write_domains(f);
}

/* --- reports ----------------------------------------------------------- */

/* What linux core's Report service admits as a file name. */
static const char *report_name_why(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > FRAME_ARG_MAX)
		return "a report name that is empty or too long";
	if (name[0] == '.')
		return "a hidden report name (or . or ..)";
	if (strchr(name, '/'))
		return "a report name with '/'";
	return NULL;
}

/* The host's time of guest time `time_ns` (hostframe.h): the machine's
 * start plus it, so that the time between two reports is the guest's. */
static struct timespec host_time(const struct host_files *f, uint64_t time_ns)
{
	struct timespec t = {
		.tv_sec = f->start.tv_sec + (time_t)(time_ns / 1000000000u),
		.tv_nsec = f->start.tv_nsec + (long)(time_ns % 1000000000u),
	};
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static int report(struct host_files *f, const struct frame *fr, char *why,
                  size_t why_size)
{
	const char *bad = report_name_why(fr->arg);
	if (bad) {
		snprintf(why, why_size, "%s", bad);
		return -1;
	}
	const struct timespec written = host_time(f, fr->time_ns);
	int rc = fr->kind == FRAME_REPORT
	                 ? replace_file(f->report_fd, fr->arg, fr->body,
	                                fr->size, &written)
	         : (unlinkat(f->report_fd, fr->arg, 0) != 0 && errno != ENOENT)
	                 ? -1
	                 : 0;
	if (rc != 0)
		snprintf(why, why_size, "report/%s: %s", fr->arg,
		         strerror(errno));
	return rc;
}

int host_files_frame(struct host_files *f, const struct frame *frame, char *why,
                     size_t why_size)
{
	switch (frame->kind) {
	case FRAME_REPORT:
	case FRAME_UNREPORT:
		return report(f, frame, why, why_size);
	case FRAME_DOMAIN:
		return domain_created(f, frame, why, why_size);
	case FRAME_ENDED:
		return domain_ended(f, frame->id, why, why_size);
	case FRAME_LOG:
		return log_lines(f, frame, why, why_size);
	}
	snprintf(why, why_size, "no such kind of frame");
	return -1;
}

/* --- the folders ------------------------------------------------------- */

static int subdir(int dir_fd, const char *name)
{
	if (mkdirat(dir_fd, name, 0755) != 0 && errno != EEXIST)
		return -1;
	return openat(dir_fd, name,
	              O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
}

static void remove_leftovers(int dir_fd)
{
	int fd = dup(dir_fd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (struct dirent *e; (e = readdir(dir));) {
		struct stat st;
		if (fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			(void)unlinkat(dir_fd, e->d_name, 0);
	}
	closedir(dir);
}

int host_files_open(struct host_files *f, const char *dir, uint64_t log_limit,
                    char *why, size_t why_size)
{
	memset(f, 0, sizeof(*f));
	clock_gettime(CLOCK_REALTIME, &f->start);
	f->log_limit = log_limit;
	f->log_fd = f->report_fd = -1;
	f->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->dir_fd < 0) {
		snprintf(why, why_size, "cannot open %s: %s", dir,
		         strerror(errno));
		return -1;
	}
	f->log_fd = subdir(f->dir_fd, "log");
	f->report_fd = subdir(f->dir_fd, "report");
	if (f->log_fd < 0 || f->report_fd < 0) {
		snprintf(why, why_size, "cannot make %s/log and %s/report: %s",
		         dir, dir, strerror(errno));
		host_files_close(f);
		return -1;
	}
	remove_leftovers(f->report_fd);
	write_domains(f);
	return 0;
}

void host_files_close(struct host_files *f)
{
	int *fds[] = { &f->log_fd, &f->report_fd, &f->dir_fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}
