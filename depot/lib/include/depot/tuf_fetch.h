/*
 * libdepot's transfers as libtuf's fetcher (tuf.h, tuf_fetch_fn): every
 * program that runs a TUF client over the network (the trust layer of
 * `depot download`, and the conformance client that the official TUF
 * suite drives) fetches through the same code, so the suite tests what
 * `depot download` runs: depot_fetch_buffer() with libdepot's one libcurl
 * setup (HTTP(S) only, certificates verified, slow servers dropped,
 * answers longer than the bound aborted while they arrive).
 */
#ifndef DEPOT_TUF_FETCH_H
#define DEPOT_TUF_FETCH_H

#include <stddef.h>

#include <tuf.h>

#include "depot/depot.h"

/* A tuf_fetch_fn; `ctx` is a const struct depot_fetch_options * (its
 * mirrors are not used: `url` is fetched as it is). A missing file (HTTP
 * 404 or 403) is TUF_E_NOT_FOUND, more than `max_len` bytes
 * TUF_E_ENDLESS_DATA, a server below the minimum rate
 * TUF_E_SLOW_RETRIEVAL; the message names the URL. */
int depot_tuf_fetch(void *ctx, const char *url, size_t max_len,
                    unsigned char **data, size_t *len, struct tuf_error *e);

/* The TUF client's code for libdepot error `err` of a transfer that got
 * HTTP status `status` (0: none), with the words in e->message. */
int depot_tuf_error(int err, long status, const struct depot_diag *diag,
                    struct tuf_error *e);

#endif
