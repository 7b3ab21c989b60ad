/*
 * A report connection: the client's side of a Report session
 * (runtime/session/report.rpc) that keeps its last report, so that a
 * session opened anew (its server went away or the parent moved it) gets
 * it again without the component doing anything.
 *
 * report_connection_open() opens the session with a label and maps its
 * dataspace; report_connection_submit() copies the text in, submits it,
 * and keeps a copy. The connection is watched (connection.h, "Watching"):
 * when the session ends, the runtime opens it anew as soon as a server
 * answers and, on the entrypoint, maps the new dataspace and submits the
 * last report there. A submit while there is no session (the new server
 * has not answered yet) keeps the text, returns KERR_REVOKED, and the
 * reopened session gets it.
 */
#ifndef RUNTIME_REPORT_CONNECTION_H
#define RUNTIME_REPORT_CONNECTION_H

#include <stddef.h>
#include <stdint.h>

#include <runtime/connection.h>

struct env;

typedef struct report_connection {
	connection_t connection;
	void *buffer; /* the session's dataspace, mapped writable */
	size_t mapped;
	uint64_t size; /* what the server takes */
	char *last;    /* the last report (heap), NULL: none yet */
	size_t length;
	int resent; /* status of the last resend at a new session */
} report_connection_t;

/* Opens the Report session `label` donating `ram_quota` bytes (0: the
 * default) and maps its dataspace. On failure nothing is left open. */
int report_connection_open(report_connection_t *r, struct env *env,
                           const char *label, uint64_t ram_quota);

/* Submits `length` bytes of `text` and keeps them as the last report.
 * REPORT_ERR_TOO_BIG (report_rpc.h) beyond the dataspace, KERR_NOMEM when
 * no copy can be kept (then nothing is submitted). */
int report_connection_submit(report_connection_t *r, const char *text,
                             size_t length);

/* Closes the session, unmaps the dataspace, frees the last report. */
void report_connection_close(report_connection_t *r);

#endif
