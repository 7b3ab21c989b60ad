/*
 * Mutual TLS for links (tls.h) with OpenSSL. No CA and no names: the
 * verify callback accepts the peer's leaf certificate exactly when the
 * fingerprint of its public key is pinned, whatever its chain, and TLS
 * itself proves that the peer holds the private key (CertificateVerify).
 * OpenSSL reads and writes through a BIO over the link's stream
 * (remote/stream.h), which waits until the deadline of the operation in
 * progress; a BIO that timed out asks OpenSSL to retry, which the loops
 * below turn into LINK_ERR_TIMEOUT.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <remote/link.h>

#include "tls.h"

struct tls_conn {
	SSL_CTX *ctx;
	SSL *ssl;
	link_stream_t stream;
	int64_t deadline; /* of the operation in progress; < 0: none */
	int stream_error; /* the stream's own LINK_ERR_*, or 0 */
	const identity_pin_t *pins;
	size_t pin_count;
	identity_pin_t peer;
	int peer_known;   /* the callback matched a pin */
	int peer_refused; /* the callback saw an unpinned key */
	char refused_fp[IDENTITY_FP_TEXT];
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
	SSL *ssl = X509_STORE_CTX_get_ex_data(
		store, SSL_get_ex_data_X509_STORE_CTX_idx());
	tls_conn_t *c = SSL_get_app_data(ssl);
	uint8_t fp[IDENTITY_FP_BYTES];
	(void)preverify_ok;
	if (X509_STORE_CTX_get_error_depth(store) != 0)
		return 1; /* the chain above the leaf means nothing here */
	if (identity_cert_fingerprint(X509_STORE_CTX_get_current_cert(store),
	                              fp) != 0)
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
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method()
	                                  : TLS_client_method());
	if (!ctx)
		return NULL;
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
	    SSL_CTX_use_certificate(ctx, identity_cert(self)) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, identity_key(self)) != 1) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx,
	                   SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
	                   verify);
	/* no resumption: every link proves its keys afresh */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	return ctx;
}

static int left_ms(int64_t deadline)
{
	int64_t left;
	if (deadline < 0)
		return -1;
	left = deadline - tls_now_ms();
	return left <= 0 ? 0 : left > 3600000 ? 3600000 : (int)left;
}

static int bio_read(BIO *b, char *buf, int n)
{
	tls_conn_t *c = BIO_get_data(b);
	long r;
	BIO_clear_retry_flags(b);
	r = c->stream.read(c->stream.ctx, buf, (size_t)n, left_ms(c->deadline));
	if (r >= 0)
		return (int)r;
	if (r == LINK_ERR_TIMEOUT)
		BIO_set_retry_read(b);
	else
		c->stream_error = (int)r;
	return -1;
}

static int bio_write(BIO *b, const char *buf, int n)
{
	tls_conn_t *c = BIO_get_data(b);
	long r;
	BIO_clear_retry_flags(b);
	r = c->stream.write(c->stream.ctx, buf, (size_t)n,
	                    left_ms(c->deadline));
	if (r > 0)
		return (int)r;
	if (r == LINK_ERR_TIMEOUT)
		BIO_set_retry_write(b);
	else
		c->stream_error = r ? (int)r : LINK_ERR_IO;
	return -1;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

/* The BIO method is made once per process and never changes afterwards
 * (OpenSSL wants one object for all BIOs of a kind). Published by one
 * compare-and-swap, not pthread_once: picolibc (riscv) has no pthreads;
 * threads that race each make one and the losers free theirs. */
static _Atomic(BIO_METHOD *) stream_method;

static BIO_METHOD *the_stream_method(void)
{
	BIO_METHOD *m = atomic_load(&stream_method), *none = NULL;
	if (m)
		return m;
	m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
	                 "link stream");
	if (m && (!BIO_meth_set_read(m, bio_read) ||
	          !BIO_meth_set_write(m, bio_write) ||
	          !BIO_meth_set_ctrl(m, bio_ctrl))) {
		BIO_meth_free(m);
		return NULL;
	}
	if (m && !atomic_compare_exchange_strong(&stream_method, &none, m)) {
		BIO_meth_free(m);
		m = none; /* the winner's */
	}
	return m;
}

static BIO *stream_bio(tls_conn_t *c)
{
	BIO_METHOD *m = the_stream_method();
	BIO *b;
	if (!m || !(b = BIO_new(m)))
		return NULL;
	BIO_set_data(b, c);
	BIO_set_init(b, 1);
	return b;
}

/* Turns an SSL failure into a LINK_ERR_* and words. */
static int ssl_failure(tls_conn_t *c, int ssl_error, const char *doing,
                       char *err, size_t errlen)
{
	unsigned long e = ERR_peek_last_error();
	char detail[160] = "";
	if (c->stream_error && c->stream_error != LINK_ERR_CLOSED) {
		snprintf(err, errlen, "the connection failed while %s: %s",
		         doing, link_strerror(c->stream_error));
		ERR_clear_error();
		return c->stream_error;
	}
	if (ssl_error == SSL_ERROR_ZERO_RETURN ||
	    c->stream_error == LINK_ERR_CLOSED ||
	    (ssl_error == SSL_ERROR_SYSCALL && e == 0) ||
	    (ssl_error == SSL_ERROR_SSL &&
	     ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		snprintf(err, errlen, "the peer closed the connection while %s",
		         doing);
		ERR_clear_error();
		return LINK_ERR_CLOSED;
	}
	if (e)
		ERR_error_string_n(e, detail, sizeof detail);
	ERR_clear_error();
	if (c->peer_refused) {
		snprintf(err, errlen,
		         "peer key %s is not pinned: if that node is "
		         "trusted, add its fingerprint to this node's peers",
		         c->refused_fp);
		return LINK_ERR_PEER;
	}
	if (strstr(detail, "alert") &&
	    (strstr(detail, "certificate") || strstr(detail, "unknown ca"))) {
		snprintf(err, errlen,
		         "the peer refused this node's key (%s): pin "
		         "this node's fingerprint in the peer's config",
		         detail);
		return LINK_ERR_PEER;
	}
	snprintf(err, errlen, "TLS failed while %s: %s", doing,
	         detail[0] ? detail : "no detail from OpenSSL");
	return LINK_ERR_TLS;
}

int tls_open(tls_conn_t **out, const link_stream_t *stream, int server,
             const identity_t *self, const identity_pin_t *pins,
             size_t pin_count, identity_pin_t *peer, int64_t deadline,
             char *err, size_t errlen)
{
	tls_conn_t *c = calloc(1, sizeof *c);
	BIO *bio;
	int rc;
	if (!c) {
		snprintf(err, errlen, "out of memory for a TLS connection");
		stream->close(stream->ctx);
		return LINK_ERR_NOMEM;
	}
	c->stream = *stream;
	c->pins = pins;
	c->pin_count = pin_count;
	c->deadline = deadline;
	c->ctx = make_ctx(server, self);
	c->ssl = c->ctx ? SSL_new(c->ctx) : NULL;
	bio = c->ssl ? stream_bio(c) : NULL;
	if (!bio && RAND_status() != 1) {
		/* OpenSSL seeds itself from getentropy() (riscv: an Entropy
		 * session, runtime/env/getentropy_session.c) */
		snprintf(err, errlen,
		         "no random numbers for TLS: OpenSSL's seed source "
		         "getentropy() fails");
		ERR_clear_error();
		tls_close(c);
		return LINK_ERR_TLS;
	}
	if (!bio) {
		snprintf(err, errlen,
		         "cannot make a TLS context for this node's key");
		tls_close(c);
		return LINK_ERR_TLS;
	}
	SSL_set_bio(c->ssl, bio, bio);
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
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			snprintf(err, errlen, "TLS handshake timed out");
			rc = LINK_ERR_TIMEOUT;
		} else {
			rc = ssl_failure(c, e, "handshaking", err, errlen);
		}
		tls_close(c);
		return rc;
	}
	if (!c->peer_known) { /* the callback runs for every peer certificate */
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
	size_t got = 0;
	int r, e;
	c->deadline = deadline;
	c->stream_error = 0;
	r = SSL_read_ex(c->ssl, buf, n, &got);
	if (r == 1)
		return (long)got;
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return LINK_ERR_TIMEOUT;
	return ssl_failure(c, e, "reading", err, errlen);
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
	size_t done = 0;
	int r, e;
	c->deadline = deadline;
	c->stream_error = 0;
	r = SSL_write_ex(c->ssl, buf, n, &done);
	if (r == 1)
		return 0; /* without partial writes, done == n */
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		snprintf(err, errlen, "the peer took no data for %d ms",
		         LINK_STALL_MS);
		return LINK_ERR_TIMEOUT;
	}
	return write_failure(c, e, err, errlen);
}

int tls_wait(tls_conn_t *c, int64_t deadline)
{
	if (!c->stream.wait)
		return LINK_ERR_ARGUMENT;
	return c->stream.wait(c->stream.ctx, left_ms(deadline));
}

void tls_close(tls_conn_t *c)
{
	if (!c)
		return;
	if (c->ssl) {
		c->deadline = 0; /* a close_notify, without waiting */
		SSL_shutdown(c->ssl);
		ERR_clear_error();
	}
	SSL_free(c->ssl); /* frees the BIO */
	SSL_CTX_free(c->ctx);
	c->stream.close(c->stream.ctx);
	free(c);
}
