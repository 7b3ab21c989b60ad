/*
 * Archives pushed to a running riscv target (target_archives.h): the
 * closure sorted into what the machine lacks, all of it checked against
 * core's bounds, then each archive pushed, its answer awaited in core's
 * log, and recorded.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "control_frame.h"
#include "lib/state.h"
#include "push_files.h"
#include "target_archives.h"

#define LOG_LINE_MAX 4096 /* longer lines of core.log answer nothing */
#define ANSWER_TICK_MS 50

static_assert(MACHINE_PUSHED_MAX == CONTROL_ARCHIVES_MAX,
              "sculpt's record bounds core's table of pushed archives");
static_assert(MACHINE_PUSHED_BYTES_MAX <= CONTROL_ARCHIVES_BYTES_MAX,
              "sculpt pushes no more than core's table keeps");

struct config_walk {
	const char *depot;
	depot_archive_fn fn;
	void *ctx;
};

int target_archives_of_config(const char *depot,
                              const struct runtime_config *config,
                              int installed_only, depot_archive_fn fn,
                              void *ctx, struct sculpt_diag *diag)
{
	struct depot_diag about = { { 0 }, { 0 } };
	int err = 0;

	for (size_t i = 0; !err && i < config->start_count; i++) {
		struct depot_name pkg;

		if (!config->start[i].pkg)
			continue;
		err = depot_name_parse(config->start[i].pkg, &pkg, &about);
		if (!err)
			err = depot_closure(depot, &pkg, RV_ARCH, fn, ctx,
			                    &about);
		if (err && installed_only)
			err = 0; /* incomplete: init says what it lacks */
		if (err)
			err = sculpt_depot_fail(diag, err, &about);
	}
	return err;
}

int target_archives_booted(const char *target,
                           const struct machine_record *image,
                           struct sculpt_diag *diag)
{
	char path[PATH_MAX], *text = machine_record_format(image);
	int err;

	if (!text)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	err = state_path(target, MACHINE_RECORD, path, diag);
	if (!err)
		err = state_write(path, text, strlen(text), diag);
	free(text);
	return err;
}

/* The record of the running machine into *m; a missing or bad record is
 * an error naming the file and the way out. */
static int record_read(const char *target, struct machine_record *m,
                       struct sculpt_diag *diag)
{
	struct sculpt_diag why = { "" };
	char path[PATH_MAX], *text = NULL;
	size_t length = 0;
	bool missing = false;
	int err = state_path(target, MACHINE_RECORD, path, diag);

	if (err)
		return err;
	if (state_read(path, MACHINE_RECORD_MAX, &text, &length, &missing,
	               NULL))
		return sculpt_fail(
			diag, SCULPT_E_IO,
			"'%s' %s, so what the machine of target '%s' "
			"has is unknown; boot the target again",
			path,
			missing ? "is missing"
				: "cannot be read (or is too large)",
			target);
	err = machine_record_parse(text, length, m, &why);
	free(text);
	if (err)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "'%s' is no record of what the machine has: "
		                   "%s; boot the target again (it writes the "
		                   "record anew)",
		                   path, why.message);
	return 0;
}

/* The archives to push: what the machine lacks of the closures, each
 * once, with the bytes and count of their top-level files. */
struct plan {
	char depot[PATH_MAX];
	const struct machine_record *machine;
	struct depot_name names[MACHINE_IMAGE_MAX];
	unsigned count, over;
};

/* A depot_archive_fn: an archive core serves, installed, that the
 * machine lacks. One not installed is left to init, which reports the
 * child incomplete as on linux ("archive A is missing: install it"). */
static int plan_add(void *ctx, const struct depot_name *name)
{
	struct plan *p = ctx;
	char text[DEPOT_NAME_MAX];

	if ((strcmp(name->kind, "pkg") != 0 && strcmp(name->kind, "raw") != 0 &&
	     strcmp(name->kind, "bin") != 0) ||
	    !depot_installed(p->depot, name))
		return 0;
	depot_name_format(name, text);
	if (machine_record_has(p->machine, text))
		return 0;
	for (unsigned i = 0; i < p->count; i++)
		if (memcmp(&p->names[i], name, sizeof(*name)) == 0)
			return 0;
	if (p->count == MACHINE_IMAGE_MAX)
		p->over = 1;
	else
		p->names[p->count++] = *name;
	return 0;
}

/* The bytes of the files core would get of archive `name` (checked
 * against its manifest first). */
static int archive_bytes(const char *depot, const struct depot_name *name,
                         uint64_t *bytes, struct sculpt_diag *diag)
{
	struct depot_diag about = { { 0 }, { 0 } };
	char dir[PATH_MAX], text[DEPOT_NAME_MAX],
		*names[CONTROL_ARCHIVE_FILES_MAX], why[512];
	unsigned count = 0;
	int err = depot_verify(depot, name, &about);

	if (err)
		return sculpt_depot_fail(diag, err, &about);
	depot_name_format(name, text);
	if (snprintf(dir, sizeof(dir), "%s/%s", depot, text) >=
	            (int)sizeof(dir) ||
	    push_archive_names(dir, names, CONTROL_ARCHIVE_FILES_MAX, &count,
	                       why, sizeof(why)))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "archive '%s' cannot be pushed: %s", text,
		                   why);
	*bytes = 0;
	for (unsigned i = 0; i < count; i++) {
		struct stat st;
		char path[PATH_MAX];

		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) <
		            (int)sizeof(path) &&
		    lstat(path, &st) == 0)
			*bytes += (uint64_t)st.st_size;
	}
	push_names_free(names, count);
	return 0;
}

/* The whole plan within what the machine may still take. */
static int plan_check(const struct plan *p, const char *target,
                      struct sculpt_diag *diag)
{
	struct sculpt_diag why = { "" };
	uint64_t total = 0;
	int err = 0;

	if (p->over)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "more than %u archives to push",
		                   MACHINE_IMAGE_MAX);
	for (unsigned i = 0; !err && i < p->count; i++) {
		uint64_t bytes = 0;

		err = archive_bytes(p->depot, &p->names[i], &bytes, diag);
		total += bytes;
	}
	if (!err && machine_record_room(p->machine, p->count, total, &why))
		err = sculpt_fail(diag, SCULPT_E_PKG,
		                  "%u archive%s of %llu bytes %s too large to "
		                  "push to the running machine (%s); %s "
		                  "installed in '%s/depot', and the next boot "
		                  "of the target puts those its applied "
		                  "generation needs into its boot image",
		                  p->count, p->count == 1 ? "" : "s",
		                  (unsigned long long)total,
		                  p->count == 1 ? "is" : "are", why.message,
		                  p->count == 1 ? "it is" : "they are", target);
	return err;
}

/* core.log as read for an answer: from where it ended before the push,
 * into the file that replaces it when riscv-console rotates it. */
struct core_log {
	char path[PATH_MAX];
	int fd;
	ino_t ino;
	char line[LOG_LINE_MAX + 1];
	size_t len;
	int too_long; /* the line so far is over LOG_LINE_MAX: skipped */
};

static void log_open(struct core_log *l, int at_end)
{
	struct stat st;

	l->fd = open(l->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (l->fd >= 0 && (fstat(l->fd, &st) || !S_ISREG(st.st_mode))) {
		close(l->fd);
		l->fd = -1;
	}
	if (l->fd < 0)
		return;
	l->ino = st.st_ino;
	if (at_end)
		lseek(l->fd, 0, SEEK_END);
}

/* Reads what came; at the old file's end, moves to a new file of the
 * name (rotated). The next answer of core to the push of `archive`. */
static enum machine_answer log_answer(struct core_log *l, const char *archive,
                                      char *why, size_t why_size)
{
	char buf[4096];
	ssize_t n;
	struct stat st;

	if (l->fd < 0) {
		log_open(l, 0);
		if (l->fd < 0)
			return MACHINE_ANSWER_NONE;
	}
	while ((n = read(l->fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			enum machine_answer a;

			if (buf[i] != '\n') {
				if (l->len < LOG_LINE_MAX)
					l->line[l->len++] = buf[i];
				else
					l->too_long = 1;
				continue;
			}
			l->line[l->len] = '\0';
			a = l->too_long ? MACHINE_ANSWER_NONE
			                : machine_answer(l->line, archive, why,
			                                 why_size);
			l->len = 0;
			l->too_long = 0;
			if (a != MACHINE_ANSWER_NONE) {
				/* the rest of buf is another frame's */
				return a;
			}
		}
	}
	if (n == 0 && stat(l->path, &st) == 0 && st.st_ino != l->ino) {
		close(l->fd);
		l->len = 0;
		l->too_long = 0;
		log_open(l, 0);
	}
	return MACHINE_ANSWER_NONE;
}

/* Waits for core's answer to the push of `archive`: 0 once it took it,
 * else an error with core's reason. */
static int await_answer(struct core_log *l, const char *archive,
                        struct sculpt_diag *diag)
{
	const struct timespec tick = { 0, ANSWER_TICK_MS * 1000000L };
	char why[LOG_LINE_MAX + 1] = "";

	for (unsigned t = 0;
	     t <= TARGET_ARCHIVES_ANSWER_S * 1000 / ANSWER_TICK_MS; t++) {
		switch (log_answer(l, archive, why, sizeof(why))) {
		case MACHINE_ANSWER_TAKEN:
			return 0;
		case MACHINE_ANSWER_REFUSED:
			return sculpt_fail(diag, SCULPT_E_PKG,
			                   "core on the target refused archive "
			                   "'%s': %s",
			                   archive, why);
		case MACHINE_ANSWER_NONE:
			break;
		}
		nanosleep(&tick, NULL);
	}
	return sculpt_fail(diag, SCULPT_E_PKG,
	                   "core on the target did not answer the push of "
	                   "archive '%s' within %d s (its log: '%s'); whether "
	                   "the machine has it is unknown until the target "
	                   "boots again",
	                   archive, TARGET_ARCHIVES_ANSWER_S, l->path);
}

/* Pushes archive `name`, awaits core's answer and records it in m and in
 * the target's record. */
static int push_one(struct sculpt *s, struct target_control *c,
                    const char *depot, const struct depot_name *name,
                    struct machine_record *m, struct sculpt_diag *diag)
{
	static struct control_archive frame; /* static: 16 headers */
	struct control_file files[CONTROL_ARCHIVE_FILES_MAX];
	struct core_log l = { .fd = -1 };
	char text[DEPOT_NAME_MAX], dir[PATH_MAX], why[512];
	unsigned count = 0;
	int err;

	/* checked against its manifest by plan_check */
	depot_name_format(name, text);
	if (snprintf(dir, sizeof(dir), "%s/%s", depot, text) >=
	            (int)sizeof(dir) ||
	    push_archive_read(dir, files, &count, why, sizeof(why)) ||
	    control_frame_archive(&frame, text, files, count, why,
	                          sizeof(why))) {
		push_archive_free(files, count);
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "archive '%s' cannot be pushed: %s", text,
		                   why);
	}
	err = machine_record_room(m, 1, frame.bytes, diag);
	if (!err)
		err = state_path(s->target, "log/core.log", l.path, diag);
	if (!err) {
		log_open(&l, 1);
		err = target_control_push_archive(c, text, &frame, diag);
	}
	if (!err)
		err = await_answer(&l, text, diag);
	if (l.fd >= 0)
		close(l.fd);
	if (!err)
		err = machine_record_add(m, text, 1, frame.bytes, diag);
	if (!err)
		err = target_archives_booted(s->target, m, diag);
	if (!err)
		printf("pushed %s to the machine (%u file%s, %llu bytes)\n",
		       text, count, count == 1 ? "" : "s",
		       (unsigned long long)frame.bytes);
	push_archive_free(files, count);
	return err;
}

/* Takes TARGET/sculpt/machine.lock: one sculpt pushes at a time. The fd,
 * or -1 after a message. */
static int lock_take(const char *target, struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	int fd;

	if (state_path(target, "sculpt/machine.lock", path, diag))
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		sculpt_fail(diag, SCULPT_E_IO, "cannot lock '%s': %s", path,
		            strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Pushes what plan p lacks (p->machine is m). */
static int push_plan(struct sculpt *s, struct target_control *c, struct plan *p,
                     struct machine_record *m, struct sculpt_diag *diag)
{
	int err = plan_check(p, s->target, diag);

	for (unsigned i = 0; !err && i < p->count; i++)
		err = push_one(s, c, p->depot, &p->names[i], m, diag);
	return err;
}

/* The machine's record and a plan over it, under the lock; then `walk`
 * fills the plan and it is pushed. */
static int push_with(struct sculpt *s, struct target_control *c,
                     int (*walk)(struct plan *p, const void *arg,
                                 struct sculpt_diag *diag),
                     const void *arg, struct sculpt_diag *diag)
{
	static struct machine_record m; /* static: 80 names */
	static struct plan p;           /* static: 64 names */
	int err, lock;

	if (c->fd < 0)
		return 0;
	lock = lock_take(s->target, diag);
	if (lock < 0)
		return SCULPT_E_IO;
	memset(&p, 0, sizeof(p));
	sculpt_depot_dir(s, p.depot);
	p.machine = &m;
	err = record_read(s->target, &m, diag);
	if (!err)
		err = walk(&p, arg, diag);
	if (!err)
		err = push_plan(s, c, &p, &m, diag);
	close(lock);
	return err;
}

static int walk_pkg(struct plan *p, const void *arg, struct sculpt_diag *diag)
{
	struct depot_diag about = { { 0 }, { 0 } };
	struct depot_name pkg;
	int err = depot_name_parse(arg, &pkg, &about);

	if (!err)
		err = depot_closure(p->depot, &pkg, RV_ARCH, plan_add, p,
		                    &about);
	return err ? sculpt_depot_fail(diag, err, &about) : 0;
}

static int walk_config(struct plan *p, const void *arg,
                       struct sculpt_diag *diag)
{
	return target_archives_of_config(p->depot, arg, 1, plan_add, p, diag);
}

int target_archives_push(struct sculpt *s, struct target_control *c,
                         const char *pkg, struct sculpt_diag *diag)
{
	return push_with(s, c, walk_pkg, pkg, diag);
}

int target_archives_push_config(struct sculpt *s, struct target_control *c,
                                const struct runtime_config *config,
                                struct sculpt_diag *diag)
{
	return push_with(s, c, walk_config, config, diag);
}
