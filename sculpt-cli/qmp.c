/*
 * qmp.h: QMP over a pipe chardev. A command is one line (QEMU parses a
 * stream of JSON, so a write split in parts is fine); its answer is the
 * line whose "id" is the command's.
 */
#include "qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Writes all of `text` to QEMU within the deadline. */
static int write_all(struct qmp *q, const char *text, size_t len, long deadline,
                     struct sculpt_diag *diag)
{
	while (len > 0) {
		struct pollfd p = { q->in, POLLOUT, 0 };
		ssize_t n;
		long left = deadline - now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return sculpt_fail(diag, SCULPT_E_IO,
			                   "QEMU's monitor takes no command "
			                   "(the machine hangs?)");
		n = write(q->in, text, len);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return sculpt_fail(diag, SCULPT_E_IO,
			                   "cannot write to QEMU's monitor: %s",
			                   strerror(errno));
		if (n > 0) {
			text += n;
			len -= (size_t)n;
		}
	}
	return 0;
}

/* The next whole line from QEMU into q->line (NUL-terminated, without its
 * newline), waiting until the deadline: 1, 0 when the time ran out, or
 * -1 after a message. */
static int next_line(struct qmp *q, long deadline, struct sculpt_diag *diag)
{
	for (;;) {
		char *nl = memchr(q->line, '\n', q->len);
		struct pollfd p = { q->out, POLLIN, 0 };
		long left;
		ssize_t n;
		if (nl) {
			*nl = '\0';
			return 1;
		}
		if (q->len == sizeof(q->line) - 1) {
			sculpt_fail(diag, SCULPT_E_IO,
			            "QEMU's monitor sent a line longer than "
			            "%u bytes",
			            QMP_LINE_MAX - 1);
			return -1;
		}
		left = deadline - now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return 0;
		n = read(q->out, q->line + q->len,
		         sizeof(q->line) - 1 - q->len);
		if (n > 0)
			q->len += (size_t)n;
	}
}

/* Drops the line next_line() gave from the buffer. */
static void consume_line(struct qmp *q)
{
	size_t used = strlen(q->line) + 1;
	memmove(q->line, q->line + used, q->len - used);
	q->len -= used;
}

/* Waits for the answer with id `id`: 0 (*answer the parsed line, to
 * delete), or an error. */
static int await_answer(struct qmp *q, const char *id, const char *what,
                        cJSON **answer, struct sculpt_diag *diag)
{
	long deadline = now_ms() + QMP_ANSWER_MS;
	for (;;) {
		int got = next_line(q, deadline, diag);
		cJSON *line;
		const cJSON *its;
		if (got < 0)
			return SCULPT_E_IO;
		if (got == 0)
			return sculpt_fail(diag, SCULPT_E_IO,
			                   "QEMU's monitor did not answer %s "
			                   "within %u ms",
			                   what, QMP_ANSWER_MS);
		line = cJSON_Parse(q->line);
		consume_line(q);
		its = cJSON_GetObjectItemCaseSensitive(line, "id");
		if (cJSON_IsString(its) && strcmp(its->valuestring, id) == 0) {
			*answer = line;
			return 0;
		}
		cJSON_Delete(line); /* the greeting, an event, an old answer */
	}
}

/* Sends `execute` with `arguments` (taken; NULL for none) and waits for
 * its answer: 0 (*answer to delete), or an error. */
static int exchange(struct qmp *q, const char *execute, cJSON *arguments,
                    const char *what, cJSON **answer, struct sculpt_diag *diag)
{
	cJSON *command = cJSON_CreateObject();
	char id[64], *text = NULL;
	int err;

	snprintf(id, sizeof(id), "%s-%u", q->nonce, ++q->sent);
	if (!command || !cJSON_AddStringToObject(command, "execute", execute) ||
	    !cJSON_AddStringToObject(command, "id", id) ||
	    (arguments &&
	     !cJSON_AddItemToObject(command, "arguments", arguments))) {
		if (arguments && !cJSON_GetObjectItem(command, "arguments"))
			cJSON_Delete(arguments);
		cJSON_Delete(command);
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	}
	text = cJSON_PrintUnformatted(command);
	cJSON_Delete(command);
	if (!text)
		return sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	err = write_all(q, text, strlen(text), now_ms() + QMP_ANSWER_MS, diag);
	if (!err)
		err = write_all(q, "\n", 1, now_ms() + QMP_ANSWER_MS, diag);
	free(text);
	return err ? err : await_answer(q, id, what, answer, diag);
}

int qmp_run(struct qmp *q, const char *execute, cJSON *arguments,
            const char *what, struct sculpt_diag *diag)
{
	cJSON *answer = NULL;
	const cJSON *error, *desc;
	int err = exchange(q, execute, arguments, what, &answer, diag);

	if (err)
		return err;
	error = cJSON_GetObjectItemCaseSensitive(answer, "error");
	desc = cJSON_GetObjectItemCaseSensitive(error, "desc");
	if (error)
		err = sculpt_fail(diag, SCULPT_E_IO, "QEMU refused %s: %s",
		                  what,
		                  cJSON_IsString(desc) ? desc->valuestring
		                                       : "(no reason given)");
	cJSON_Delete(answer);
	return err;
}

int qmp_open(struct qmp *q, const char *path, struct sculpt_diag *diag)
{
	char in[PATH_MAX], out[PATH_MAX];
	cJSON *answer = NULL;
	int err;

	q->in = q->out = -1;
	q->len = 0;
	q->sent = 0;
	snprintf(q->nonce, sizeof(q->nonce), "sculpt-%ld-%ld", (long)getpid(),
	         now_ms());
	if (snprintf(in, sizeof(in), "%s.in", path) >= (int)sizeof(in) ||
	    snprintf(out, sizeof(out), "%s.out", path) >= (int)sizeof(out))
		return sculpt_fail(diag, SCULPT_E_IO, "path too long: '%s'",
		                   path);
	/* non-blocking: a fifo no machine holds is ENXIO, not a wait */
	q->in = open(in, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (q->in >= 0)
		q->out = open(out,
		              O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (q->in < 0 || q->out < 0) {
		int e = errno;
		qmp_close(q);
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "cannot reach QEMU's monitor '%s': %s", in,
		                   e == ENXIO ? "the machine does not run"
		                              : strerror(e));
	}
	/* negotiated by an earlier client, QEMU says so with an error: the
	 * answer is what counts */
	err = exchange(q, "qmp_capabilities", NULL,
	               "the capabilities negotiation", &answer, diag);
	cJSON_Delete(answer);
	if (err)
		qmp_close(q);
	return err;
}

void qmp_close(struct qmp *q)
{
	if (q->in >= 0)
		close(q->in);
	if (q->out >= 0)
		close(q->out);
	q->in = q->out = -1;
}
