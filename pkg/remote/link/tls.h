/*
 * The TLS layer of a link (private to pkg/remote/link): mutual TLS 1.3 over
 * a link stream (remote/stream.h), each side authenticated by the pin of
 * its key (remote/identity.h), and reads and writes with deadlines.
 */
#ifndef REMOTE_TLS_H
#define REMOTE_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <remote/identity.h>
#include <remote/stream.h>

typedef struct tls_conn tls_conn_t;

/* Monotonic milliseconds; a deadline is a value of this clock. */
int64_t tls_now_ms(void);

/*
 * Handshakes over `stream` (taken: closed on failure too) as server or client
 * and checks that the peer's key is one of pins[]; fills peer with the pin
 * it matched. Returns 0 or a negative LINK_ERR_* (link.h) with words in err.
 */
int tls_open(tls_conn_t **out, const link_stream_t *stream, int server,
             const identity_t *self, const identity_pin_t *pins,
             size_t pin_count, identity_pin_t *peer, int64_t deadline,
             char *err, size_t errlen);

/* Reads 1..n bytes: returns the count, or LINK_ERR_TIMEOUT (nothing read),
 * LINK_ERR_CLOSED, LINK_ERR_TLS (err says why). */
long tls_read_some(tls_conn_t *c, void *buf, size_t n, int64_t deadline,
                   char *err, size_t errlen);

/* Writes all n bytes, or fails (LINK_ERR_TIMEOUT: the stream is then out
 * of step and the link must die). */
int tls_write_all(tls_conn_t *c, const void *buf, size_t n, int64_t deadline,
                  char *err, size_t errlen);

/* The stream's wait (remote/stream.h) until the deadline: 1 readable,
 * 0 woken, LINK_ERR_TIMEOUT; LINK_ERR_ARGUMENT for a stream without one. */
int tls_wait(tls_conn_t *c, int64_t deadline);

void tls_close(tls_conn_t *c);

#endif /* REMOTE_TLS_H */
