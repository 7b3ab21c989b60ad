/*
 * A minimal static HTTP/1.0 file server on 127.0.0.1 for unit tests that
 * need a real transfer (test_download.c): one thread, one request per
 * connection, GET only, files below a root directory or 404. Not for
 * anything but tests: no Range, no keep-alive, no TLS.
 */
#ifndef DEPOT_TEST_HTTPD_H
#define DEPOT_TEST_HTTPD_H

struct httpd;

/* Serves `root` on an ephemeral port; aborts the test on failure. */
struct httpd *httpd_start(const char *root);
int httpd_port(const struct httpd *h);
void httpd_stop(struct httpd *h);

#endif
