/*
 * The one libcurl setup of libdepot's transfers (private to libdepot):
 * depot_fetch() (archives into files) and depot_fetch_buffer() (TUF
 * metadata into memory) both configure their easy handles here, so both
 * speak only HTTP(S), always verify certificates (system CAs or the
 * caller's CA file) and drop slow servers the same way.
 */
#ifndef DEPOT_FETCH_EASY_H
#define DEPOT_FETCH_EASY_H

#include <curl/curl.h>

#include "depot/depot.h"

/* Resets `easy` and sets URL, protocols, TLS checks, redirects, timeouts
 * and the error buffer (CURL_ERROR_SIZE bytes) from `options`. */
void fetch_easy_setup(CURL *easy, const struct depot_fetch_options *options,
                      const char *url, char *error_buffer);
/* The slow-retrieval deadline of an attempt that expects `bytes` more
 * bytes: connect timeout + bytes / min_rate, set as CURLOPT_TIMEOUT_MS;
 * `why` (at least 128 bytes) receives the words that explain it. */
void fetch_easy_deadline(CURL *easy, const struct depot_fetch_options *options,
                         uint64_t bytes, char *why, size_t why_size);
/* Turns a failed attempt on `easy` (libcurl's `code` other than
 * CURLE_OK, and its error buffer `error`) into DEPOT_E_HTTP,
 * DEPOT_E_TIMEOUT or DEPOT_E_NETWORK with a detail in a person's words:
 * what happened (refused connection, unknown host, a certificate of an
 * unknown CA or for another name, a TLS handshake on a plain port, an
 * HTTP status) and what to check. `deadline` explains the attempt's
 * deadline (fetch_easy_deadline). Returns the code. */
int fetch_easy_failure(CURL *easy, CURLcode code, const char *url,
                       const char *error, const char *deadline,
                       struct depot_diag *diag);

#endif
