/*
 * Report connections (report_connection.h): a Report session whose last
 * report is kept beside it and submitted again at a session opened anew,
 * by the session watch's callback (reconnect.c) on the entrypoint.
 */
#include <runtime/report_connection.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/env.h>

#include "report_rpc.h"

static void unmap(report_connection_t *r)
{
	if (r->buffer)
		kmem_unmap(r->buffer, r->mapped);
	r->buffer = NULL;
	r->mapped = 0;
	r->size = 0;
}

/* Maps the dataspace of the session open now. */
static int map(report_connection_t *r)
{
	kcap_t ds;
	uint64_t size;
	size_t mapped;
	void *at = NULL;
	int rc = report_dataspace(r->connection.cap, &ds, &size);

	if (rc != 0)
		return rc;
	rc = kmem_size(ds, &mapped);
	if (rc == 0 && size > mapped)
		rc = KERR_INVALID;
	if (rc == 0)
		rc = kmem_map(ds, 0, mapped, KMEM_READ | KMEM_WRITE, NULL, &at);
	kcap_close(ds); /* the mapping stays */
	if (rc != 0)
		return rc;
	unmap(r);
	r->buffer = at;
	r->mapped = mapped;
	r->size = size;
	return 0;
}

static int submit(report_connection_t *r)
{
	if (!connection_ready(&r->connection) || !r->buffer)
		return KERR_REVOKED;
	if (r->length > r->size)
		return REPORT_ERR_TOO_BIG;
	memcpy(r->buffer, r->last, r->length);
	return report_submit(r->connection.cap, r->length);
}

/* The watched session is open again: its dataspace, the last report. */
static void reopened(connection_t *c, void *ctx)
{
	report_connection_t *r = ctx;

	(void)c;
	unmap(r);
	r->resent = map(r);
	if (r->resent == 0 && r->last)
		r->resent = submit(r);
}

int report_connection_open(report_connection_t *r, env_t *env,
                           const char *label, uint64_t ram_quota)
{
	char args[CONNECTION_ARGS_MAX + 1];
	int n = ram_quota ? snprintf(args, sizeof(args),
	                             "label=\"%s\", ram_quota=%llu", label,
	                             (unsigned long long)ram_quota)
	                  : snprintf(args, sizeof(args), "label=\"%s\"", label);

	memset(r, 0, sizeof(*r));
	r->connection.cap = KCAP_INVALID;
	if (n < 0 || (size_t)n >= sizeof(args) || strchr(label, '"') ||
	    strchr(label, '\\'))
		return KERR_INVALID;
	int rc = connection_open(&r->connection, env, "Report", args);
	if (rc == 0)
		rc = map(r);
	if (rc == 0)
		rc = connection_watch(&r->connection, reopened, r);
	if (rc != 0)
		report_connection_close(r);
	return rc;
}

int report_connection_submit(report_connection_t *r, const char *text,
                             size_t length)
{
	if (r->buffer && length > r->size)
		return REPORT_ERR_TOO_BIG;
	char *copy = malloc(length ? length : 1);
	if (!copy)
		return KERR_NOMEM;
	memcpy(copy, text, length);
	free(r->last);
	r->last = copy;
	r->length = length;
	/* KERR_REVOKED: the session ended; the watch opens it anew and
	 * submits the copy there */
	return submit(r);
}

void report_connection_close(report_connection_t *r)
{
	connection_close(&r->connection);
	unmap(r);
	free(r->last);
	r->last = NULL;
	r->length = 0;
}
