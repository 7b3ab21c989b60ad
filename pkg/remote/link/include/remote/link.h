/*
 * A remote link: one authenticated, flow-controlled connection between two
 * nodes, over which the proxies of pkg/remote carry sessions. It sits on a
 * connected stream descriptor that whoever holds network authority gave
 * (pkg/remote/README.md, "Network authority"), speaks mutual TLS 1.3 with
 * pinned keys (remote/identity.h) and carries frames (remote/frame.h) on
 * FRAME_CHANNELS channels. Host programs give it a socket (stream_fd()),
 * components a stream capability (remote/stream.h).
 *
 * Flow control. Each direction of each channel has a window of LINK_WINDOW
 * bytes of DATA payload. A receiver holds, per channel,
 *     recv_credit + queued + consumed == LINK_WINDOW
 * (what the peer may still send, what waits for the application, what the
 * application took but was not yet given back as CREDIT). DATA beyond the
 * credit is a protocol violation that kills the link, so a peer can make a
 * node hold at most FRAME_CHANNELS * LINK_WINDOW bytes (4 MiB). A sender
 * without credit waits in link_send() (reading, and answering, what comes
 * in meanwhile) and never buffers: a slow reader slows its writer.
 *
 * Keepalive. While a link waits in link_send() or link_recv(), a peer
 * quiet for idle_ms gets a PING, and one quiet for dead_ms kills the link
 * ("no answer from the peer in time"), so a peer gone without FIN or RST
 * (a machine switched off, a wire cut for good) is noticed. Every frame
 * counts as an answer; so a node must call link_recv() (a timeout of 0
 * will do) at least every idle_ms, or its peer takes it for dead.
 *
 * Threads: a link is used by one thread at a time (the proxies give each
 * link a thread of its own). Errors: every function returns 0 or a negative
 * LINK_ERR_*; after any error but LINK_ERR_TIMEOUT and a refused argument
 * (LINK_ERR_ARGUMENT) the link is dead, every call returns that error, and
 * link_error() says what happened in words a person can act on.
 */
#ifndef REMOTE_LINK_H
#define REMOTE_LINK_H

#include <stddef.h>
#include <stdint.h>

#include <remote/frame.h>
#include <remote/identity.h>
#include <remote/stream.h>

#define LINK_WINDOW 131072u   /* per channel and direction: two messages */
_Static_assert(LINK_WINDOW == 2 * FRAME_PAYLOAD_MAX,
               "a window holds two full messages (link.c, give_credit)");
#define LINK_STALL_MS 10000  /* a frame half written this long kills the link */
#define LINK_IDLE_MS  5000   /* keepalive: a quiet peer gets a PING */
/* The keepalive a user may set (the config format's "keepalive_ms",
 * RUNTIME_KEEPALIVE_MIN_MS..MAX_MS in format/runtime_config.h, is this
 * range): below 100 ms a busy host's scheduling alone kills links, above a
 * minute a dead peer holds its sessions for three. */
#define LINK_IDLE_MIN_MS 100
#define LINK_IDLE_MAX_MS 60000

enum link_err {
	LINK_OK = 0,
	LINK_ERR_TIMEOUT = -1,  /* nothing happened in time; the link lives */
	LINK_ERR_CLOSED = -2,   /* the peer closed the connection */
	LINK_ERR_IO = -3,       /* the connection failed */
	LINK_ERR_PROTOCOL = -4, /* the peer sent a frame we refuse */
	LINK_ERR_PEER =
		-5, /* the peer's key is not pinned, or it refused ours */
	LINK_ERR_TLS = -6, /* TLS failed otherwise */
	LINK_ERR_ARGUMENT =
		-7, /* a message too big or a channel out of range */
	LINK_ERR_NOMEM = -8,
};

typedef struct link link_t;

typedef struct link_config {
	const identity_t *self;
	const identity_pin_t *pins; /* the peers this node accepts */
	size_t pin_count;
	int server;     /* TLS role: accepted (1) or dialled (0) */
	int timeout_ms; /* handshake and first exchange */
	int idle_ms;    /* keepalive; 0: LINK_IDLE_MS */
	int dead_ms;    /* 0 (or <= idle_ms): 3 * idle_ms */
} link_config_t;

/*
 * Opens a link over `stream` (taken: closed when the link is, or at once
 * on failure): TLS handshake, the peer's pin checked, then a
 * PING each way so that both sides know the other accepted them. On
 * failure *out is NULL and err holds the reason.
 */
int link_open(link_t **out, const link_stream_t *stream,
              const link_config_t *cfg, char *err, size_t errlen);

/* Sends one message of 1..FRAME_PAYLOAD_MAX bytes on `channel`; waits up
 * to timeout_ms (< 0: for ever) for credit. LINK_ERR_TIMEOUT: not sent. */
int link_send(link_t *l, uint32_t channel, const void *data, uint32_t len,
              int timeout_ms);

/* Receives the next message of any channel into buf (FRAME_PAYLOAD_MAX
 * bytes), waiting up to timeout_ms (< 0: for ever). Channels with queued
 * messages take turns. */
int link_recv(link_t *l, uint32_t *channel, uint8_t *buf, uint32_t *len,
              int timeout_ms);

/* Waits, for a thread that has more to watch than the link, until
 * link_recv() has a message without waiting (1), or the stream's waker
 * fired (0; remote/stream.h), or timeout_ms passed (LINK_ERR_TIMEOUT;
 * < 0: never), answering pings and credit and keeping the keepalive
 * meanwhile, so a thread that sleeps here is woken by events only.
 * LINK_ERR_ARGUMENT for a stream that cannot wait; another LINK_ERR_*
 * when the link died. */
int link_wait(link_t *l, int timeout_ms);

/* Why the link died (or failed to open), in words; "" while it lives. */
const char *link_error(const link_t *l);

/* Words for a LINK_ERR_* value. */
const char *link_strerror(int err);

void link_close(link_t *l);

#endif /* REMOTE_LINK_H */
