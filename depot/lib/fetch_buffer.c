/*
 * Small transfers into memory: what the TUF client (depot/tuf) fetches
 * through its callback, metadata files whose length is bounded but not
 * known in advance. Same libcurl setup as depot_fetch() (fetch_easy.c
 * part of fetch.c): HTTP(S) only, certificates verified, slow servers
 * dropped; and more bytes than the bound abort the transfer while they
 * arrive, so an endless answer costs the bound plus one buffer.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include <grow/grow.h>

#include "diag.h"
#include "fetch_easy.h"

struct buffer {
	uint8_t *data;
	size_t length, capacity, max;
	int too_long;
};

static size_t on_data(char *data, size_t size, size_t count, void *ctx)
{
	struct buffer *b = ctx;
	size_t n = size * count;
	if (n > b->max - b->length) {
		b->too_long = 1;
		return 0;
	}
	uint8_t *grown = grow_array(b->data, &b->capacity, b->length + n, 1);
	if (!grown)
		return 0;
	b->data = grown;
	memcpy(b->data + b->length, data, n);
	b->length += n;
	return n;
}

static int result(CURL *easy, CURLcode code, const struct buffer *b,
                  const char *url, const char *error, const char *deadline,
                  long *http_status, struct depot_diag *diag)
{
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, http_status);
	if (b->too_long)
		return diag_set(diag, DEPOT_E_OVERSIZE, url,
		                "more than %zu "
		                "bytes",
		                b->max);
	if (code == CURLE_WRITE_ERROR)
		return diag_set(diag, DEPOT_E_NOMEM, url, NULL);
	if (code != CURLE_OK)
		return fetch_easy_failure(easy, code, url, error, deadline,
		                          diag);
	return DEPOT_OK;
}

int depot_fetch_buffer(const struct depot_fetch_options *options,
                       const char *url, size_t max_length, uint8_t **data,
                       size_t *length, long *http_status,
                       struct depot_diag *diag)
{
	struct buffer b = { .max = max_length };
	char error[CURL_ERROR_SIZE], deadline[160];
	*data = NULL;
	*length = 0;
	*http_status = 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return diag_set(diag, DEPOT_E_NOMEM, url, NULL);
	CURL *easy = curl_easy_init();
	int err = easy ? DEPOT_OK : diag_set(diag, DEPOT_E_NOMEM, url, NULL);
	if (!err) {
		fetch_easy_setup(easy, options, url, error);
		curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(easy, CURLOPT_WRITEDATA, &b);
		/* The length is unknown: the bound stands for it. */
		fetch_easy_deadline(easy, options, max_length, deadline,
		                    sizeof deadline);
		err = result(easy, curl_easy_perform(easy), &b, url, error,
		             deadline, http_status, diag);
	}
	curl_easy_cleanup(easy);
	curl_global_cleanup();
	if (err) {
		free(b.data);
		return err;
	}
	*data = b.data ? b.data : calloc(1, 1);
	*length = b.length;
	return *data ? DEPOT_OK : diag_set(diag, DEPOT_E_NOMEM, url, NULL);
}
