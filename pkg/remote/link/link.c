/*
 * The link (remote/link.h): frames over TLS, per-channel queues and credit.
 * Reading is a small state machine (header, then payload) so that a
 * deadline can pass between two reads without losing step; every frame is
 * checked by frame_header_decode() and then by the credit rules below
 * before it changes any state (decode, then act).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <remote/link.h>

#include "tls.h"

struct msg {
	struct msg *next;
	uint32_t len;
	uint8_t data[];
};

/* Invariant (link.h): recv_credit + queued + consumed == LINK_WINDOW;
 * queued is the sum of the lengths of the messages from head to tail.
 * check_channel() asserts both wherever a count changes. */
struct channel {
	uint32_t send_credit; /* payload bytes the peer takes now */
	uint32_t recv_credit; /* payload bytes the peer may still send */
	uint32_t queued;
	uint32_t consumed;
	struct msg *head, *tail;
};

struct link {
	tls_conn_t *tls;
	identity_pin_t peer;
	int dead; /* 0 or the LINK_ERR_* that killed it */
	char error[320];
	struct channel ch[FRAME_CHANNELS];
	uint32_t next_rr; /* channel whose queue is looked at first */
	uint64_t ping_cookie;
	int pong_seen;
	int idle_ms, dead_ms; /* keepalive (link.h) */
	int64_t last_rx;      /* when the last whole frame came */
	int idle_ping;        /* a keepalive PING is out */
	/* the frame being read */
	uint8_t head[FRAME_HEADER_BYTES];
	uint32_t head_got;
	frame_header_t frame;
	uint32_t payload_got;
	uint8_t payload[FRAME_PAYLOAD_MAX];
	uint8_t out[FRAME_HEADER_BYTES + FRAME_PAYLOAD_MAX];
};

#ifdef RUNTIME_INVARIANTS
/* The bytes of the messages in the channel's queue (a walk, so only in
 * the builds with invariants, runtime/invariant.h). */
static uint64_t queue_bytes(const struct channel *c)
{
	uint64_t sum = 0;
	for (const struct msg *m = c->head; m; m = m->next)
		sum += m->len;
	return sum;
}
#endif

/* The window invariant always (it is cheap); in the builds with
 * invariants also that `queued` is what the queue holds and that head
 * and tail are empty together. Plain assert, not INVARIANT: the link
 * library does not depend on libruntime (remote-key links it alone). */
static void check_channel(const struct channel *c)
{
	assert((uint64_t)c->recv_credit + c->queued + c->consumed ==
	       LINK_WINDOW);
#ifdef RUNTIME_INVARIANTS
	assert(queue_bytes(c) == c->queued);
	assert((c->head == NULL) == (c->tail == NULL));
#endif
	(void)c;
}

static int64_t deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : tls_now_ms() + timeout_ms;
}

/* Kills the link with `err` and words, once; returns err. */
static int die(link_t *l, int err, const char *why)
{
	if (!l->dead) {
		l->dead = err;
		snprintf(l->error, sizeof l->error, "%s", why);
	}
	return l->dead;
}

static int write_frame(link_t *l, uint32_t type, uint32_t channel,
                       const void *payload, uint32_t len)
{
	frame_header_t h = { type, channel, len };
	char why[256];
	int rc;
	assert(len <= FRAME_PAYLOAD_MAX);
	frame_header_encode(&h, l->out);
#ifdef RUNTIME_INVARIANTS
	/* frame.h: the link sends only headers its peer's decoder accepts */
	frame_header_t sent;
	assert(frame_header_decode(l->out, FRAME_HEADER_BYTES, &sent) ==
	       FRAME_OK);
#endif
	if (len)
		memcpy(l->out + FRAME_HEADER_BYTES, payload, len);
	rc = tls_write_all(l->tls, l->out, FRAME_HEADER_BYTES + len,
	                   deadline_of(LINK_STALL_MS), why, sizeof why);
	return rc ? die(l, rc == LINK_ERR_TIMEOUT ? LINK_ERR_IO : rc, why) : 0;
}

/* --- what an incoming frame does, after its header passed the table ---- */

static int on_data(link_t *l, struct channel *c)
{
	struct msg *m;
	uint32_t len = l->frame.length;
	if (len > c->recv_credit)
		return die(l, LINK_ERR_PROTOCOL,
		           "the peer sent beyond its credit");
	m = malloc(sizeof *m + len);
	if (!m)
		return die(l, LINK_ERR_NOMEM, "out of memory for a message");
	m->next = NULL;
	m->len = len;
	memcpy(m->data, l->payload, len);
	if (c->tail)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	c->recv_credit -= len;
	c->queued += len;
	check_channel(c);
	return 0;
}

static int on_credit(link_t *l, struct channel *c)
{
	uint32_t bytes = frame_get_u32(l->payload);
	/* the peer can never owe more than a window: it grants what we sent */
	if (bytes == 0 || bytes > LINK_WINDOW - c->send_credit)
		return die(l, LINK_ERR_PROTOCOL,
		           "the peer granted credit it does not owe");
	c->send_credit += bytes;
	return 0;
}

static int on_frame(link_t *l)
{
	struct channel *c = &l->ch[l->frame.channel];
	switch (l->frame.type) {
	case FRAME_DATA:
		return on_data(l, c);
	case FRAME_CREDIT:
		return on_credit(l, c);
	case FRAME_PING:
		return write_frame(l, FRAME_PONG, 0, l->payload, 8);
	case FRAME_PONG:
		if (frame_get_u64(l->payload) == l->ping_cookie)
			l->pong_seen = 1;
		return 0;
	default:
		/* frame_header_decode() admits only the types above */
		assert(0);
		return die(l, LINK_ERR_PROTOCOL, "frame of unknown type");
	}
}

/* Reads until one whole frame was handled (0), or fails. */
static int read_frame(link_t *l, int64_t deadline)
{
	char why[256];
	for (;;) {
		uint8_t *dst;
		size_t want;
		long got;
		if (l->head_got < FRAME_HEADER_BYTES) {
			dst = l->head + l->head_got;
			want = FRAME_HEADER_BYTES - l->head_got;
		} else if (l->payload_got < l->frame.length) {
			dst = l->payload + l->payload_got;
			want = l->frame.length - l->payload_got;
		} else {
			l->head_got = 0;
			l->payload_got = 0;
			l->last_rx = tls_now_ms();
			l->idle_ping = 0;
			return on_frame(l);
		}
		got = tls_read_some(l->tls, dst, want, deadline, why,
		                    sizeof why);
		if (got == LINK_ERR_TIMEOUT)
			return LINK_ERR_TIMEOUT;
		if (got < 0) {
			if (got == LINK_ERR_CLOSED &&
			    (l->head_got || l->payload_got))
				return die(
					l, LINK_ERR_PROTOCOL,
					"the connection ended inside a frame");
			return die(l, (int)got, why);
		}
		if (l->head_got < FRAME_HEADER_BYTES) {
			enum frame_status s;
			l->head_got += (uint32_t)got;
			s = frame_header_decode(l->head, l->head_got,
			                        &l->frame);
			if (s < 0)
				return die(l, LINK_ERR_PROTOCOL,
				           frame_strerror(s));
		} else {
			l->payload_got += (uint32_t)got;
		}
	}
}

/* The keepalive: kills the link when the peer was quiet for dead_ms,
 * sends a PING once it was quiet for idle_ms; *wake is when it must look
 * again, or the deadline if that is sooner. */
static int keepalive(link_t *l, int64_t deadline, int64_t *wake)
{
	int64_t now = tls_now_ms();
	*wake = deadline;
	if (now - l->last_rx >= l->dead_ms)
		return die(l, LINK_ERR_IO,
		           "no answer from the peer in time (keepalive)");
	if (!l->idle_ping && now - l->last_rx >= l->idle_ms) {
		uint8_t cookie[8];
		int rc;
		frame_put_u64(cookie, (uint64_t)now);
		if ((rc = write_frame(l, FRAME_PING, 0, cookie,
		                      sizeof cookie)) != 0)
			return rc;
		l->idle_ping = 1;
	}
	*wake = l->last_rx + (l->idle_ping ? l->dead_ms : l->idle_ms);
	if (deadline >= 0 && deadline < *wake)
		*wake = deadline;
	return 0;
}

/*
 * read_frame() with keepalive: waits no longer than the deadline, sends a
 * PING once the peer was quiet for idle_ms, and kills the link when it was
 * quiet for dead_ms (a peer gone without FIN or RST is noticed too).
 */
static int await_frame(link_t *l, int64_t deadline)
{
	for (;;) {
		int64_t wake;
		int rc = keepalive(l, deadline, &wake);
		if (rc)
			return rc;
		rc = read_frame(l, wake);
		if (rc != LINK_ERR_TIMEOUT)
			return rc;
		if (deadline >= 0 && tls_now_ms() >= deadline)
			return LINK_ERR_TIMEOUT;
	}
}

/* --- the interface ------------------------------------------------------ */

static int handshake_ping(link_t *l, int64_t deadline)
{
	uint8_t cookie[8];
	int rc;
	l->ping_cookie = (uint64_t)tls_now_ms() ^ (uint64_t)(uintptr_t)l;
	frame_put_u64(cookie, l->ping_cookie);
	rc = write_frame(l, FRAME_PING, 0, cookie, sizeof cookie);
	while (!rc && !l->pong_seen)
		rc = read_frame(l, deadline);
	if (rc == LINK_ERR_TIMEOUT)
		return die(l, LINK_ERR_TIMEOUT, "no answer to the first ping");
	return rc;
}

int link_open(link_t **out, const link_stream_t *stream,
              const link_config_t *cfg, char *err, size_t errlen)
{
	int64_t deadline = deadline_of(cfg->timeout_ms);
	link_t *l = calloc(1, sizeof *l);
	int rc;
	*out = NULL;
	if (!l) {
		snprintf(err, errlen, "out of memory for a link");
		stream->close(stream->ctx);
		return LINK_ERR_NOMEM;
	}
	for (unsigned i = 0; i < FRAME_CHANNELS; i++) {
		l->ch[i].send_credit = LINK_WINDOW;
		l->ch[i].recv_credit = LINK_WINDOW;
	}
	l->idle_ms = cfg->idle_ms > 0 ? cfg->idle_ms : LINK_IDLE_MS;
	l->dead_ms = cfg->dead_ms > l->idle_ms ? cfg->dead_ms : 3 * l->idle_ms;
	l->last_rx = tls_now_ms();
	rc = tls_open(&l->tls, stream, cfg->server, cfg->self, cfg->pins,
	              cfg->pin_count, &l->peer, deadline, err, errlen);
	if (rc == 0)
		rc = handshake_ping(l, deadline);
	if (rc) {
		if (l->tls)
			snprintf(err, errlen, "%s", l->error);
		link_close(l);
		return rc;
	}
	*out = l;
	return 0;
}

int link_send(link_t *l, uint32_t channel, const void *data, uint32_t len,
              int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	struct channel *c;
	if (l->dead)
		return l->dead;
	if (channel >= FRAME_CHANNELS || len == 0 || len > FRAME_PAYLOAD_MAX)
		return LINK_ERR_ARGUMENT;
	c = &l->ch[channel];
	while (c->send_credit < len) {
		/* wait for credit; what else comes in is queued within its own
		 * channel's window, so waiting here never buffers without bound */
		int rc = await_frame(l, deadline);
		if (rc)
			return rc;
	}
	c->send_credit -= len;
	return write_frame(l, FRAME_DATA, channel, data, len);
}

/* Hands back credit once half a window was consumed, so a sender with a
 * full message never waits on a reader that has taken everything. */
static int give_credit(link_t *l, uint32_t channel)
{
	struct channel *c = &l->ch[channel];
	uint8_t grant[4];
	uint32_t bytes = c->consumed;
	if (bytes < LINK_WINDOW / 2)
		return 0;
	c->consumed = 0;
	c->recv_credit += bytes;
	check_channel(c);
	frame_put_u32(grant, bytes);
	return write_frame(l, FRAME_CREDIT, channel, grant, sizeof grant);
}

/* Takes the first queued message of the next channel in turn; -1 if none. */
static int dequeue(link_t *l, uint32_t *channel, uint8_t *buf, uint32_t *len)
{
	for (unsigned i = 0; i < FRAME_CHANNELS; i++) {
		uint32_t n = (l->next_rr + i) % FRAME_CHANNELS;
		struct channel *c = &l->ch[n];
		struct msg *m = c->head;
		if (!m)
			continue;
		c->head = m->next;
		if (!c->head)
			c->tail = NULL;
		memcpy(buf, m->data, m->len);
		*len = m->len;
		*channel = n;
		c->queued -= m->len;
		c->consumed += m->len;
		check_channel(c);
		free(m);
		l->next_rr = (n + 1) % FRAME_CHANNELS;
		return (int)n;
	}
	return -1;
}

int link_recv(link_t *l, uint32_t *channel, uint8_t *buf, uint32_t *len,
              int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	int n;
	if (l->dead)
		return l->dead;
	while ((n = dequeue(l, channel, buf, len)) < 0) {
		int rc = await_frame(l, deadline);
		if (rc)
			return rc;
	}
	return give_credit(l, (uint32_t)n);
}

/* Bytes of the peer's messages the link holds for the application. */
static uint32_t link_queued(const link_t *l)
{
	uint32_t sum = 0;
	for (unsigned i = 0; i < FRAME_CHANNELS; i++)
		sum += l->ch[i].queued;
	return sum;
}

int link_wait(link_t *l, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	for (;;) {
		int64_t wake;
		int rc;
		if (l->dead)
			return l->dead;
		if (link_queued(l))
			return 1;
		/* what the stream or TLS holds now, without waiting: a partial
		 * frame stays in the reader's state for the next round */
		rc = read_frame(l, 0);
		if (rc == 0)
			continue;
		if (rc != LINK_ERR_TIMEOUT)
			return rc;
		if ((rc = keepalive(l, deadline, &wake)) != 0)
			return rc;
		rc = tls_wait(l->tls, wake);
		if (rc == 0 || rc == LINK_ERR_ARGUMENT)
			return rc;
		if (rc < 0 && rc != LINK_ERR_TIMEOUT)
			return die(l, rc, "waiting for the stream failed");
		if (rc == LINK_ERR_TIMEOUT && deadline >= 0 &&
		    tls_now_ms() >= deadline)
			return LINK_ERR_TIMEOUT;
	}
}

const char *link_error(const link_t *l)
{
	return l->error;
}

const char *link_strerror(int err)
{
	switch (err) {
	case LINK_OK:
		return "ok";
	case LINK_ERR_TIMEOUT:
		return "timed out";
	case LINK_ERR_CLOSED:
		return "the peer closed the link";
	case LINK_ERR_IO:
		return "the connection failed";
	case LINK_ERR_PROTOCOL:
		return "the peer broke the link protocol";
	case LINK_ERR_PEER:
		return "the peer's key is not pinned, or it refused ours";
	case LINK_ERR_TLS:
		return "TLS failed";
	case LINK_ERR_ARGUMENT:
		return "message size or channel out of range";
	case LINK_ERR_NOMEM:
		return "out of memory";
	}
	return "unknown link error";
}

void link_close(link_t *l)
{
	if (!l)
		return;
	for (unsigned i = 0; i < FRAME_CHANNELS; i++) {
		struct msg *m = l->ch[i].head;
		while (m) {
			struct msg *next = m->next;
			free(m);
			m = next;
		}
	}
	tls_close(l->tls);
	free(l);
}
