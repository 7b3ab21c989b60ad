/*
 * The target directory (target.h): opening its layout, reading modules
 * into sealed ROM dataspaces, and the log output of core and of every
 * LOG session.
 */
#include "target.h"

#include "printable.h"

#include <runtime/session_args.h>

#include <runtime/str.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int open_subdir(int dir_fd, const char *name, int create)
{
	if (create && mkdirat(dir_fd, name, 0755) != 0 && errno != EEXIST)
		return -1;
	return openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int target_open_with(struct target *t, const char *dir, unsigned flags,
                     char *err, size_t err_size)
{
	memset(t, 0, sizeof(*t));
	t->boot_fd = t->config_fd = t->log_fd = t->depot_fd = -1;
	t->log_limit = TARGET_LOG_LIMIT_DEFAULT;
	t->module_limit = TARGET_MODULE_LIMIT_DEFAULT;
	terminal_limit_init(&t->terminal, TERMINAL_LIMIT_PER_LABEL_DEFAULT,
	                    TERMINAL_LIMIT_TOTAL_DEFAULT);
	pthread_mutex_init(&t->log_lock, NULL);
	if (str_copy(t->dir, dir, sizeof(t->dir)) < 0) {
		str_format(err, err_size, "target path too long: '%s'", dir);
		return -1;
	}
	int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0) {
		str_format(err, err_size, "cannot open target '%s': %s", dir,
		           strerror(errno));
		return -1;
	}
	t->boot_fd = open_subdir(dir_fd, "boot", 0);
	int boot_ok = t->boot_fd >= 0 || (flags & TARGET_BOOT_OPTIONAL);
	int saved = errno;
	t->config_fd = open_subdir(dir_fd, "config", 1);
	t->log_fd = open_subdir(dir_fd, "log", 1);
	int report_fd = open_subdir(dir_fd, "report", 1);
	if (t->config_fd < 0 || t->log_fd < 0 || report_fd < 0)
		saved = errno;
	t->depot_fd = open_subdir(dir_fd, "depot", 0);
	close(dir_fd);
	if (report_fd >= 0)
		close(report_fd);
	if (!boot_ok || t->config_fd < 0 || t->log_fd < 0 || report_fd < 0) {
		str_format(err, err_size,
		           "target '%s' lacks boot/ or cannot make "
		           "config/, log/, report/: %s",
		           dir, strerror(saved));
		target_close(t);
		return -1;
	}
	return 0;
}

static void note_dropped(void *ctx, const char *label, unsigned dropped);
static int64_t now_ns(void);

void target_close(struct target *t)
{
	if (t->log_fd >= 0) {
		pthread_mutex_lock(&t->log_lock);
		terminal_limit_flush(&t->terminal, now_ns(), note_dropped, t);
		pthread_mutex_unlock(&t->log_lock);
	}
	int *fds[] = { &t->boot_fd, &t->config_fd, &t->log_fd, &t->depot_fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	pthread_mutex_destroy(&t->log_lock);
}

int target_module_name_ok(const char *name)
{
	size_t len = strlen(name);
	return len > 0 && len <= TARGET_NAME_MAX && name[0] != '.' &&
	       !strchr(name, '/');
}

static int open_module(const struct target *t, enum target_where where,
                       const char *name)
{
	if (!target_module_name_ok(name))
		return -1;
	int fd = -1;
	if (where == TARGET_IN_CONFIG_OR_BOOT)
		fd = openat(t->config_fd, name,
		            O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && t->boot_fd >= 0)
		fd = openat(t->boot_fd, name,
		            O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

static void stamp_of(const struct stat *st, struct module_stamp *stamp)
{
	stamp->found = 1;
	stamp->dev = st->st_dev;
	stamp->ino = st->st_ino;
	stamp->size = (uint64_t)st->st_size;
	stamp->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	                  st->st_mtim.tv_nsec;
}

void target_module_stamp(const struct target *t, enum target_where where,
                         const char *name, struct module_stamp *stamp)
{
	memset(stamp, 0, sizeof(*stamp));
	int fd = open_module(t, where, name);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		stamp_of(&st, stamp);
	close(fd);
}

/* Copies the file into the memory object, piece by piece (each read
 * handed to `each` as it lands in the object, so what is checked is what
 * the object holds), and seals it. */
static int fill_and_seal(int fd, kcap_t mem, size_t size,
                         void (*each)(void *, const void *, size_t), void *arg)
{
	void *at;
	int rc = kmem_map(mem, 0, size, KMEM_READ | KMEM_WRITE, NULL, &at);
	if (rc != 0)
		return rc;
	size_t done = 0;
	while (done < size) {
		ssize_t n = pread(fd, (char *)at + done, size - done,
		                  (off_t)done);
		if (n <= 0)
			break;
		if (each)
			each(arg, (char *)at + done, (size_t)n);
		done += (size_t)n;
	}
	kmem_unmap(at, size);
	if (done != size)
		return KERR_INVALID; /* the file shrank while being read */
	return kmem_seal_readonly(mem);
}

int target_copy_sealed(int fd, size_t size,
                       void (*each)(void *arg, const void *piece, size_t len),
                       void *arg, kcap_t *mem)
{
	kcap_t object;
	int rc = kmem_create(size ? size : 1, &object);
	if (rc != 0)
		return rc == KERR_NOMEM ? rc : KERR_INVALID;
	rc = size > 0 ? fill_and_seal(fd, object, size, each, arg)
	              : kmem_seal_readonly(object);
	if (rc != 0) {
		kcap_close(object);
		return rc == KERR_NOMEM ? rc : KERR_INVALID;
	}
	*mem = object;
	return 0;
}

int target_read_module(const struct target *t, enum target_where where,
                       const char *name, kcap_t *mem, size_t *size,
                       struct module_stamp *stamp)
{
	int fd = open_module(t, where, name);
	if (fd < 0)
		return KERR_INVALID;
	struct stat st;
	int rc = KERR_INVALID;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		rc = (uint64_t)st.st_size > t->module_limit
		             ? KERR_TOO_BIG
		             : target_copy_sealed(fd, (size_t)st.st_size, NULL,
		                                  NULL, mem);
	close(fd);
	if (rc == KERR_TOO_BIG)
		*size = (size_t)st.st_size;
	if (rc != 0)
		return rc;
	*size = (size_t)st.st_size;
	stamp_of(&st, stamp);
	return 0;
}

/* Keeps the full log file `file` as file.1, dropping the one before; the
 * next line starts a new file. A failed rename leaves the file growing:
 * nothing of the log is lost for it. */
static void rotate(struct target *t, const char *file)
{
	char kept[TARGET_NAME_MAX + 16];
	str_format(kept, sizeof(kept), "%s.1", file);
	(void)renameat(t->log_fd, file, t->log_fd, kept);
}

static void append_to_file(struct target *t, const char *label,
                           const char *text, size_t len)
{
	char first[TARGET_NAME_MAX + 1], file[TARGET_NAME_MAX + 8];
	session_label_first(label, first, sizeof(first));
	if (!target_module_name_ok(first))
		str_copy(first, "unnamed", sizeof(first));
	str_format(file, sizeof(file), "%s.log", first);
	int fd = openat(t->log_fd, file,
	                O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	                0644);
	if (fd < 0)
		return;
	ssize_t ignored = write(fd, text, len);
	(void)ignored;
	struct stat st;
	int full = t->log_limit && fstat(fd, &st) == 0 &&
	           (uint64_t)st.st_size >= t->log_limit;
	close(fd);
	if (full)
		rotate(t, file);
}

static int64_t now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* "[label] line\n" into text[size], made printable (printable.h: control
 * characters and bytes that are no UTF-8 shown as '?'); its length. */
static size_t format_line(char *text, size_t size, const char *label,
                          const char *line)
{
	int len = str_format(text, size - 1, "[%s] %s", label, line);
	size_t length = len < 0 ? strlen(text) : (size_t)len;
	length = printable_sanitize(text, length);
	text[length++] = '\n';
	return length;
}

static void to_terminal(const char *text, size_t len)
{
	ssize_t ignored = write(STDOUT_FILENO, text, len);
	(void)ignored;
}

/* The note of lines that the terminal's rate limit dropped, a line of
 * core's own on the terminal and in log/core.log; never limited itself
 * (at most TERMINAL_LIMIT_LABELS + 1 of them per window). Called under
 * the log lock. */
static void note_dropped(void *ctx, const char *label, unsigned dropped)
{
	struct target *t = ctx;
	char note[SESSION_LABEL_MAX + 200], first[TARGET_NAME_MAX + 1];
	char file[TARGET_NAME_MAX + 8] = "", text[sizeof(note) + 16];
	if (label) {
		session_label_first(label, first, sizeof(first));
		str_format(file, sizeof(file), "%s.log",
		           target_module_name_ok(first) ? first : "unnamed");
	}
	terminal_limit_note(note, sizeof(note), label, file, dropped);
	size_t len = format_line(text, sizeof(text), "core", note);
	to_terminal(text, len);
	append_to_file(t, "core", text, len);
}

void target_log(struct target *t, const char *label, const char *line)
{
	char text[SESSION_LABEL_MAX + 1100];
	size_t len = format_line(text, sizeof(text), label, line);
	pthread_mutex_lock(&t->log_lock);
	if (terminal_limit_admit(&t->terminal, label, now_ns(), note_dropped,
	                         t))
		to_terminal(text, len);
	append_to_file(t, label, text, len);
	pthread_mutex_unlock(&t->log_lock);
}

void target_logf(struct target *t, const char *fmt, ...)
{
	char line[1024];
	va_list args;
	va_start(args, fmt);
	str_vformat(line, sizeof(line), fmt, args);
	va_end(args);
	target_log(t, "core", line);
}
