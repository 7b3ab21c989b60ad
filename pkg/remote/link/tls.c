/*
 * Mutual TLS for links (tls.h) with OpenSSL. No CA and no names: the
 * verify callback accepts the peer's leaf certificate exactly when the
 * fingerprint of its public key is pinned, whatever its chain, and TLS
 * itself proves that the peer holds the private key (CertificateVerify).
 * The descriptor is non-blocking; every wait is a poll() with a deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <remote/link.h>

#include "tls.h"

struct tls_conn {
	SSL_CTX *ctx;
	SSL     *ssl;
	int      fd;
	const identity_pin_t *pins;
	size_t   pin_count;
	identity_pin_t peer;
	int      peer_known;      /* the callback matched a pin */
	int      peer_refused;    /* the callback saw an unpinned key */
	char     refused_fp[IDENTITY_FP_TEXT];
};

int64_t tls_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Accepts the leaf certificate by its pin alone (see the top). */
static int verify(int preverify_ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store,
	               SSL_get_ex_data_X509_STORE_CTX_idx());
	tls_conn_t *c = SSL_get_app_data(ssl);
	uint8_t fp[IDENTITY_FP_BYTES];
	(void)preverify_ok;
	if (X509_STORE_CTX_get_error_depth(store) != 0)
		return 1;   /* the chain above the leaf means nothing here */
	if (identity_cert_fingerprint(X509_STORE_CTX_get_current_cert(store), fp) != 0)
		return 0;
	for (size_t i = 0; i < c->pin_count; i++) {
		if (memcmp(c->pins[i].fp, fp, sizeof fp) == 0) {
			c->peer = c->pins[i];
			c->peer_known = 1;
			return 1;
		}
	}
	c->peer_refused = 1;
	identity_fp_format(fp, c->refused_fp);
	return 0;
}

static SSL_CTX *make_ctx(int server, const identity_t *self)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	if (!ctx)
		return NULL;
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1
	    || SSL_CTX_use_certificate(ctx, identity_cert(self)) != 1
	    || SSL_CTX_use_PrivateKey(ctx, identity_key(self)) != 1) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
	                   verify);
	/* no resumption: every link proves its keys afresh */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	return ctx;
}

/* Waits until fd is ready for what SSL asked; LINK_ERR_TIMEOUT past the
 * deadline (< 0 deadline: none). */
static int wait_for(int fd, int ssl_error, int64_t deadline)
{
	struct pollfd p = { .fd = fd,
		.events = ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN };
	for (;;) {
		int timeout = -1, n;
		if (deadline >= 0) {
			int64_t left = deadline - tls_now_ms();
			if (left <= 0)
				return LINK_ERR_TIMEOUT;
			timeout = left > 60000 ? 60000 : (int)left;
		}
		n = poll(&p, 1, timeout);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return LINK_ERR_IO;
	}
}

/* Turns an SSL failure into a LINK_ERR_* and words. */
static int ssl_failure(tls_conn_t *c, int ssl_error, const char *doing,
                       char *err, size_t errlen)
{
	unsigned long e = ERR_peek_last_error();
	char detail[160] = "";
	if (ssl_error == SSL_ERROR_ZERO_RETURN
	    || (ssl_error == SSL_ERROR_SYSCALL && e == 0)
	    || (ssl_error == SSL_ERROR_SSL && ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		snprintf(err, errlen, "the peer closed the connection while %s", doing);
		ERR_clear_error();
		return LINK_ERR_CLOSED;
	}
	if (e)
		ERR_error_string_n(e, detail, sizeof detail);
	ERR_clear_error();
	if (c->peer_refused) {
		snprintf(err, errlen, "peer key %s is not pinned: if that node is "
		         "trusted, add its fingerprint to this node's peers",
		         c->refused_fp);
		return LINK_ERR_PEER;
	}
	if (strstr(detail, "alert") && (strstr(detail, "certificate") || strstr(detail, "unknown ca"))) {
		snprintf(err, errlen, "the peer refused this node's key (%s): pin "
		         "this node's fingerprint in the peer's config", detail);
		return LINK_ERR_PEER;
	}
	snprintf(err, errlen, "TLS failed while %s: %s", doing,
	         detail[0] ? detail : strerror(errno));
	return LINK_ERR_TLS;
}

int tls_open(tls_conn_t **out, int fd, int server, const identity_t *self,
             const identity_pin_t *pins, size_t pin_count,
             identity_pin_t *peer, int64_t deadline, char *err, size_t errlen)
{
	tls_conn_t *c = calloc(1, sizeof *c);
	int flags = fcntl(fd, F_GETFL), rc;
	if (!c || flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "cannot set up the connection: %s",
		         c ? strerror(errno) : "out of memory");
		free(c);
		close(fd);
		return c ? LINK_ERR_IO : LINK_ERR_NOMEM;
	}
	c->fd = fd;
	c->pins = pins;
	c->pin_count = pin_count;
	c->ctx = make_ctx(server, self);
	c->ssl = c->ctx ? SSL_new(c->ctx) : NULL;
	if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) {
		snprintf(err, errlen, "cannot make a TLS context for this node's key");
		tls_close(c);
		return LINK_ERR_TLS;
	}
	SSL_set_app_data(c->ssl, c);
	if (server)
		SSL_set_accept_state(c->ssl);
	else
		SSL_set_connect_state(c->ssl);
	for (;;) {
		int r = SSL_do_handshake(c->ssl), e;
		if (r == 1)
			break;
		e = SSL_get_error(c->ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			rc = ssl_failure(c, e, "handshaking", err, errlen);
			tls_close(c);
			return rc;
		}
		rc = wait_for(fd, e, deadline);
		if (rc) {
			snprintf(err, errlen, "TLS handshake %s", rc == LINK_ERR_TIMEOUT
			         ? "timed out" : "failed: poll");
			tls_close(c);
			return rc;
		}
	}
	if (!c->peer_known) {   /* the callback runs for every peer certificate */
		snprintf(err, errlen, "the peer showed no certificate");
		tls_close(c);
		return LINK_ERR_PEER;
	}
	*peer = c->peer;
	*out = c;
	return 0;
}

long tls_read_some(tls_conn_t *c, void *buf, size_t n, int64_t deadline,
                   char *err, size_t errlen)
{
	for (;;) {
		size_t got = 0;
		int r = SSL_read_ex(c->ssl, buf, n, &got), e, rc;
		if (r == 1)
			return (long)got;
		e = SSL_get_error(c->ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			return ssl_failure(c, e, "reading", err, errlen);
		rc = wait_for(c->fd, e, deadline);
		if (rc)
			return rc;
	}
}

/* A peer that refused us sends an alert and closes, so our next write
 * fails with a broken pipe while the alert, which says why, waits unread:
 * read it before giving the write's own reason. */
static int write_failure(tls_conn_t *c, int ssl_error, char *err, size_t errlen)
{
	uint8_t byte;
	int rc = ssl_failure(c, ssl_error, "writing", err, errlen);
	char why[256];
	long r = tls_read_some(c, &byte, 1, 0, why, sizeof why);
	if (r == LINK_ERR_PEER || r == LINK_ERR_TLS) {
		snprintf(err, errlen, "%s", why);
		return (int)r;
	}
	return rc;
}

int tls_write_all(tls_conn_t *c, const void *buf, size_t n, int64_t deadline,
                  char *err, size_t errlen)
{
	for (;;) {
		size_t done = 0;
		int r = SSL_write_ex(c->ssl, buf, n, &done), e, rc;
		if (r == 1)
			return 0;  /* without partial writes, done == n */
		e = SSL_get_error(c->ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			return write_failure(c, e, err, errlen);
		rc = wait_for(c->fd, e, deadline);
		if (rc) {
			snprintf(err, errlen, "the peer took no data for %d ms",
			         LINK_STALL_MS);
			return rc;
		}
	}
}

void tls_close(tls_conn_t *c)
{
	if (!c)
		return;
	if (c->ssl)
		SSL_shutdown(c->ssl);   /* a close_notify, without waiting for one */
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
	close(c->fd);
	free(c);
}
