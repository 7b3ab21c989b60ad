/*
 * libcurl fetcher for the conformance client (see fetch_curl.h). One easy
 * handle per request: the client makes a handful of requests per run.
 */
#include "fetch_curl.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CONNECT_TIMEOUT_S = 10,
    LOW_SPEED_BYTES = 64,       /* slower than this ... */
    LOW_SPEED_TIME_S = 15,      /* ... for this long is a slow retrieval attack */
    TOTAL_TIMEOUT_S = 120,
};

struct sink {
    unsigned char *d;
    size_t len, max;
    int too_long;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    size_t n = size * nmemb;
    if (n > s->max - s->len) {
        s->too_long = 1;
        return 0;               /* aborts the transfer */
    }
    unsigned char *d = realloc(s->d, s->len + n + 1);
    if (!d)
        return 0;
    s->d = d;
    memcpy(s->d + s->len, ptr, n);
    s->len += n;
    return n;
}

static int result_code(CURLcode cc, long status, const struct sink *s, const char *url,
                       struct tuf_error *e)
{
    int code = TUF_OK;
    const char *why = NULL;
    if (s->too_long) {
        code = TUF_E_ENDLESS_DATA;
        why = "response is longer than allowed";
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        code = TUF_E_SLOW_RETRIEVAL;
        why = curl_easy_strerror(cc);
    } else if (cc != CURLE_OK) {
        code = TUF_E_FETCH;
        why = curl_easy_strerror(cc);
    } else if (status == 404 || status == 403) {
        code = TUF_E_NOT_FOUND;
        why = "HTTP 404/403";
    } else if (status != 200) {
        code = TUF_E_FETCH;
        why = "unexpected HTTP status";
    }
    if (code && e) {
        e->code = code;
        snprintf(e->message, sizeof e->message, "%s: %s (HTTP %ld)", url, why, status);
    }
    return code;
}

int fetch_curl(void *ctx, const char *url, size_t max_len,
               unsigned char **data, size_t *len, struct tuf_error *e)
{
    struct sink s = { NULL, 0, max_len, 0 };
    long status = 0;
    CURL *h = curl_easy_init();
    if (!h)
        return TUF_E_NOMEM;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, (long)LOW_SPEED_BYTES);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)LOW_SPEED_TIME_S);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)TOTAL_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    int code = result_code(cc, status, &s, url, e);
    if (code) {
        free(s.d);
        return code;
    }
    if (!s.d && !(s.d = malloc(1)))
        return TUF_E_NOMEM;
    *data = s.d;
    *len = s.len;
    return TUF_OK;
}
