/*
 * The running riscv target's control channel (target_control.h): the
 * recorded fifo checked and opened, frames written into it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control_frame.h"
#include "lib/state.h"
#include "target_control.h"

/* How long a push may wait for the machine to take its bytes: a config
 * fits the fifo's buffer at once, an archive of 2 MiB takes about a
 * second; a machine that reads nothing for this long is stuck (core
 * refuses the part it got). */
#define PUSH_TIMEOUT_MS 10000

int target_control_make(const char *target, char fifo[PATH_MAX],
                        struct sculpt_diag *diag)
{
	char record[PATH_MAX], line[PATH_MAX + 1];
	int len;

	if (state_path(target, TARGET_CONTROL_FIFO, fifo, diag) ||
	    state_path(target, TARGET_CONTROL_RECORD, record, diag))
		return SCULPT_E_IO;
	if ((unlink(fifo) && errno != ENOENT) || mkfifo(fifo, 0600))
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "cannot make the control fifo '%s': %s",
		                   fifo, strerror(errno));
	/* the record names it from anywhere: absolute */
	if (!realpath(fifo, line))
		return sculpt_fail(diag, SCULPT_E_IO, "cannot resolve '%s': %s",
		                   fifo, strerror(errno));
	memcpy(fifo, line, PATH_MAX);
	len = snprintf(line, sizeof(line), "%s\n", fifo);
	return state_write(record, line, (size_t)len, diag);
}

/* The recorded path into c->fifo: one absolute line. */
static int read_record(const char *target, const char *record,
                       struct target_control *c, struct sculpt_diag *diag)
{
	char *text = NULL;
	size_t length = 0;
	bool missing = false;
	int err = state_read(record, PATH_MAX, &text, &length, &missing, NULL);

	if (err && missing)
		return 0;
	if (err)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "cannot read '%s' (or it is over %d bytes)",
		                   record, PATH_MAX);
	if (length > 0 && text[length - 1] == '\n')
		text[--length] = '\0';
	if (length == 0 || text[0] != '/' || strlen(text) != length ||
	    strchr(text, '\n'))
		err = sculpt_fail(
			diag, SCULPT_E_IO,
			"target '%s' records no control channel "
			"in '%s' (one absolute path is wanted); boot "
			"it again: sculpt --target %s boot --platform "
			"qemu-riscv64 PKG",
			target, record, target);
	else
		snprintf(c->fifo, sizeof(c->fifo), "%s", text);
	free(text);
	return err;
}

int target_control_recorded(const char *target)
{
	char record[PATH_MAX];

	return state_path(target, TARGET_CONTROL_RECORD, record, NULL) == 0 &&
	       access(record, F_OK) == 0;
}

int target_control_open(const char *target, struct target_control *c,
                        struct sculpt_diag *diag)
{
	char record[PATH_MAX];
	struct stat st;
	int err;

	c->fd = -1;
	c->fifo[0] = '\0';
	c->stopped = 0;
	err = state_path(target, TARGET_CONTROL_RECORD, record, diag);
	if (!err)
		err = read_record(target, record, c, diag);
	if (err || !c->fifo[0])
		return err;
	if (lstat(c->fifo, &st) || !S_ISFIFO(st.st_mode))
		return sculpt_fail(
			diag, SCULPT_E_IO,
			"the control channel '%s' that '%s' records "
			"is no fifo; boot the target again: sculpt "
			"--target %s boot --platform qemu-riscv64 PKG",
			c->fifo, record, target);
	/* non-blocking: a fifo no machine reads is ENXIO, not a wait */
	c->fd = open(c->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	c->stopped = c->fd < 0 && errno == ENXIO;
	if (c->stopped)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "target '%s' is not running: no machine "
		                   "reads its control channel '%s' (start it: "
		                   "sculpt --target %s boot --platform "
		                   "qemu-riscv64 PKG)",
		                   target, c->fifo, target);
	if (c->fd < 0)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "cannot open the control channel '%s': %s",
		                   c->fifo, strerror(errno));
	if (fstat(c->fd, &st) || !S_ISFIFO(st.st_mode)) {
		target_control_close(c); /* replaced since the lstat */
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "the control channel '%s' is no fifo",
		                   c->fifo);
	}
	return 0;
}

/* Writes a ROM frame or an archive frame into the channel, bounded in
 * time; a machine that ends meanwhile is EPIPE, said, not a signal. */
static int push_frame(struct target_control *c, const char *name,
                      const struct control_frame *rom,
                      const struct control_archive *archive,
                      struct sculpt_diag *diag)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old;
	char why[512];
	int err;

	sigaction(SIGPIPE, &ignore, &old);
	err = rom ? control_frame_write(c->fd, rom, PUSH_TIMEOUT_MS, why,
	                                sizeof(why))
	          : control_archive_write(c->fd, archive, PUSH_TIMEOUT_MS, why,
	                                  sizeof(why));
	sigaction(SIGPIPE, &old, NULL);
	if (err)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "pushing '%s' to the target over '%s': %s "
		                   "(the target keeps what it ran)",
		                   name, c->fifo, why);
	return 0;
}

int target_control_push(struct target_control *c, const char *name,
                        const void *bytes, size_t size,
                        struct sculpt_diag *diag)
{
	struct control_frame frame = { .size = 0 };
	char why[512];

	if (c->fd < 0)
		return 0;
	if (control_frame_rom(&frame, name, bytes, size, why, sizeof(why)))
		return sculpt_fail(diag, SCULPT_E_IO, "%s", why);
	return push_frame(c, name, &frame, NULL, diag);
}

int target_control_push_archive(struct target_control *c, const char *name,
                                const struct control_archive *frame,
                                struct sculpt_diag *diag)
{
	return c->fd < 0 ? 0 : push_frame(c, name, NULL, frame, diag);
}

void target_control_close(struct target_control *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
