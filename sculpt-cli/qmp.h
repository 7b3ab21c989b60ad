/*
 * A client of QEMU's machine protocol (QMP) over the pipe chardev that
 * `sculpt boot --platform qemu-riscv64` gives a machine with a network
 * (`-chardev pipe,id=qmp,path=P -mon chardev=qmp,mode=control`): P.in
 * carries commands to QEMU, P.out its answers and events, one JSON object
 * a line. Each command carries an id of this client's own, so that what
 * an earlier client left unread in P.out (the greeting, events, answers
 * nobody waited for) is passed over. What QEMU writes is read bounded:
 * lines of at most QMP_LINE_MAX bytes, and a deadline for each answer.
 */
#ifndef SCULPT_QMP_H
#define SCULPT_QMP_H

#include "lib/diag.h"

#include <cjson/cJSON.h>
#include <stddef.h>

#define QMP_LINE_MAX 65536u
#define QMP_ANSWER_MS 5000u

struct qmp {
	int in, out; /* P.in for writing, P.out for reading */
	char nonce[48];
	unsigned sent;
	size_t len;
	char line[QMP_LINE_MAX];
};

/* Opens the pipes of machine path `path` (P above) and ends the
 * protocol's capabilities negotiation (said done if an earlier client
 * did it): 0, or an error when no machine reads them or QEMU does not
 * answer. */
int qmp_open(struct qmp *q, const char *path, struct sculpt_diag *diag);

/* Runs `execute` with `arguments` (taken; NULL for none) and waits for its
 * answer: 0, or an error with QEMU's words (`what` says what it was). */
int qmp_run(struct qmp *q, const char *execute, cJSON *arguments,
            const char *what, struct sculpt_diag *diag);

void qmp_close(struct qmp *q);

#endif
