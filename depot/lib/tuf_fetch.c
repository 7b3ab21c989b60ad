/*
 * libtuf's fetcher over depot_fetch_buffer() (depot/tuf_fetch.h): turns
 * libdepot's result into the TUF client's error codes, so that the
 * client can tell "no such file" (which ends its search for newer roots)
 * from an attack (endless data, slow retrieval) and from a broken link.
 */
#include <stdio.h>

#include "depot/tuf_fetch.h"

/* What a failed transfer means to the TUF client. */
static int tuf_code(int err, long status)
{
	if (status == 404 || status == 403)
		return TUF_E_NOT_FOUND;
	if (err == DEPOT_E_OVERSIZE)
		return TUF_E_ENDLESS_DATA;
	if (err == DEPOT_E_TIMEOUT)
		return TUF_E_SLOW_RETRIEVAL;
	return err == DEPOT_E_NOMEM ? TUF_E_NOMEM : TUF_E_FETCH;
}

int depot_tuf_error(int err, long status, const struct depot_diag *diag,
                    struct tuf_error *e)
{
	int code = tuf_code(err, status);
	if (e) {
		e->code = code;
		snprintf(e->message, sizeof e->message, "%s '%.300s'%s%.600s",
		         depot_strerror(err), diag->subject,
		         diag->detail[0] ? ": " : "", diag->detail);
	}
	return code;
}

int depot_tuf_fetch(void *ctx, const char *url, size_t max_len,
                    unsigned char **data, size_t *len, struct tuf_error *e)
{
	const struct depot_fetch_options *options = ctx;
	struct depot_diag diag = { 0 };
	long status = 0;
	int err = depot_fetch_buffer(options, url, max_len, data, len, &status,
	                             &diag);
	return err ? depot_tuf_error(err, status, &diag, e) : TUF_OK;
}
