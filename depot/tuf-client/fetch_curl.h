/*
 * The conformance client's fetcher: libtuf's tuf_fetch_fn over libcurl,
 * with a size bound (endless data), connect and low-speed timeouts (slow
 * retrieval) and HTTP status mapping (404/403 are "not found").
 */
#ifndef TUF_CLIENT_FETCH_CURL_H
#define TUF_CLIENT_FETCH_CURL_H

#include <stddef.h>

#include "tuf.h"

int fetch_curl(void *ctx, const char *url, size_t max_len,
               unsigned char **data, size_t *len, struct tuf_error *e);

#endif
