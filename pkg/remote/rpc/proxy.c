/*
 * The generic RPC proxy engine (proxy.h): its creation and the link
 * thread, the one thread that reads and writes the link. It hands the
 * peer's requests to the worker and answers to the waiting entrypoint,
 * applies signal counts and dataspace updates, and sends what the others
 * queued, each dataspace change before the answer or signal that follows
 * it. The tables are in proxy_tables.c, the calls in proxy_calls.c
 * (proxy_impl.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/cap.h>
#include <runtime/clock.h>
#include <runtime/invariant.h>

#include "proxy_impl.h"

/* Formats a line for the log the config names. */
void say(struct proxy *p, const char *fmt, ...)
{
	char line[256];
	va_list args;
	va_start(args, fmt);
	vsnprintf(line, sizeof line, fmt, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start just above
	va_end(args);
	p->cfg.log(p->cfg.log_ctx, line);
}

/* Sends what changed in each dataspace export since the peer got it. A
 * slot freed and taken again meanwhile (another nonce) is left for the
 * next pass, which sends it whole. */
static int refresh_exports(struct proxy *p, link_t *l)
{
	for (uint32_t i = 0; i < REF_SLOTS; i++) {
		uint64_t nonce =
			p->refs.nonce[i]; /* read again under the lock */
		for (uint32_t off = 0;; off += PROXY_DS_CHUNK) {
			struct export *e = &p->exports[i];
			struct proxy_msg m = { .kind = PROXY_DS };
			uint32_t n;
			long len;
			lock_acquire(&p->lock);
			if (e->kind != PROXY_CAP_MEMORY ||
			    p->refs.nonce[i] != nonce || off >= e->ds.size) {
				if (e->kind == PROXY_CAP_MEMORY &&
				    p->refs.nonce[i] == nonce)
					e->sent = 1;
				lock_release(&p->lock);
				break;
			}
			n = (uint32_t)(e->ds.size - off < PROXY_DS_CHUNK
			                       ? e->ds.size - off
			                       : PROXY_DS_CHUNK);
			if (e->sent &&
			    memcmp(e->shadow + off, (uint8_t *)e->ds.addr + off,
			           n) == 0) {
				lock_release(&p->lock);
				continue;
			}
			memcpy(e->shadow + off, (uint8_t *)e->ds.addr + off, n);
			memcpy(p->chunk, e->shadow + off, n);
			m.session = e->session;
			m.ref = (struct proxy_ref){ i, nonce };
			m.size = (uint32_t)e->ds.size;
			m.offset = off;
			m.data = p->chunk;
			m.len = n;
			lock_release(&p->lock);
			len = proxy_encode(&m, p->tx);
			INVARIANT(len > 0);
			if (link_send(l, REMOTE_RPC_CHANNEL, p->tx,
			              (uint32_t)len, LINK_STALL_MS))
				return -1;
		}
	}
	return 0;
}

/* Takes the counts submitted to signal stand-ins so far (lock held). */
static int take_signals(struct proxy *p)
{
	int any = 0;
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct import *imp = &p->imports[i];
		p->signal_counts[i] = 0;
		if (imp->state != IMPORT_LIVE || imp->kind != PROXY_CAP_SIGNAL)
			continue;
		p->signal_counts[i] = imp->pending;
		imp->pending = 0;
		any |= p->signal_counts[i] != 0;
	}
	return any;
}

/* Sends the counts take_signals() took. A stand-in gone meanwhile only
 * costs the peer a SIGNAL it drops. */
static int send_signals(struct proxy *p, link_t *l)
{
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct proxy_msg m = { .kind = PROXY_SIGNAL };
		long len;
		if (!p->signal_counts[i])
			continue;
		lock_acquire(&p->lock);
		m.session = p->imports[i].session;
		m.ref = p->imports[i].remote;
		lock_release(&p->lock);
		m.count = p->signal_counts[i];
		len = proxy_encode(&m, p->tx);
		INVARIANT(len > 0);
		if (link_send(l, REMOTE_RPC_CHANNEL, p->tx, (uint32_t)len,
		              LINK_STALL_MS))
			return -1;
	}
	return 0;
}

/* Takes a slot's message into buf (lock held); its length, or 0. */
static uint32_t take_slot(struct slot *s, uint8_t *buf)
{
	uint32_t len = s->full ? s->len : 0;
	if (len)
		memcpy(buf, s->buf, len);
	s->full = 0;
	return len;
}

/* Everything waiting to go. The answers and signals are taken first,
 * then the dataspace changes sent, then they: whatever a server wrote
 * before its reply or signal reaches the peer's copy before that reply or
 * signal does. */
static int pump_out(struct proxy *p, link_t *l, uint64_t *last_refresh)
{
	uint32_t reply_len, request_len;
	int signals;
	uint64_t now = clock_now_ns() / 1000000u;
	lock_acquire(&p->lock);
	reply_len = take_slot(&p->reply, p->tx_reply);
	request_len = take_slot(&p->request, p->tx_request);
	signals = p->signals_pending && take_signals(p);
	p->signals_pending = 0;
	lock_release(&p->lock);
	if (!reply_len && !request_len && !signals &&
	    now - *last_refresh < REFRESH_MS)
		return 0;
	*last_refresh = now;
	if (refresh_exports(p, l) ||
	    (reply_len && link_send(l, REMOTE_RPC_CHANNEL, p->tx_reply,
	                            reply_len, LINK_STALL_MS)) ||
	    (request_len && link_send(l, REMOTE_RPC_CHANNEL, p->tx_request,
	                              request_len, LINK_STALL_MS)))
		return -1;
	return signals ? send_signals(p, l) : 0;
}

/* A DS message: creates or updates this node's copy. */
static const char *on_ds(struct proxy *p, const struct proxy_msg *m)
{
	struct import *imp;
	lock_acquire(&p->lock);
	imp = import_find(p, PROXY_CAP_MEMORY, m->ref);
	if (!imp) {
		if (p->import_bytes + m->size > IMPORT_BYTES_MAX ||
		    !(imp = import_reserve(p, PROXY_CAP_MEMORY, m->session,
		                           m->ref))) {
			lock_release(&p->lock);
			return "too many dataspace copies";
		}
		if (dataspace_alloc(&imp->ds, p->cfg.pd, m->size) ||
		    dataspace_attach(&imp->ds, true)) {
			dataspace_release(&imp->ds);
			imp->state = IMPORT_FREE;
			lock_release(&p->lock);
			return "no RAM for a dataspace copy";
		}
		p->import_bytes += m->size;
		imp->state = IMPORT_LIVE;
	}
	if (imp->ds.size != m->size) {
		lock_release(&p->lock);
		return "a dataspace changed its size";
	}
	memcpy((uint8_t *)imp->ds.addr + m->offset, m->data, m->len);
	lock_release(&p->lock);
	return NULL;
}

/* The worker still replays a call of a link that went (for at most the
 * call timeout): a request of the new link is refused at once, and the
 * peer's caller sees it fail (KERR_REVOKED) instead of the link going. */
static const char *refuse_busy(struct proxy *p, link_t *l,
                               const struct proxy_msg *m)
{
	static const char why[] = "busy with a call of the lost link";
	struct proxy_msg a = { .kind = m->kind == PROXY_OPEN ? PROXY_OPENED
		                                             : PROXY_REPLY,
		               .tag = m->tag,
		               .session = m->session };
	long len;
	a.status = m->kind == PROXY_OPEN ? 1 : KERR_REVOKED;
	if (m->kind == PROXY_OPEN) {
		a.data = (const uint8_t *)why;
		a.len = sizeof why - 1;
	}
	len = proxy_encode(&a, p->tx);
	INVARIANT(len > 0);
	return link_send(l, REMOTE_RPC_CHANNEL, p->tx, (uint32_t)len,
	                 LINK_STALL_MS)
	               ? link_error(l)
	               : NULL;
}

/* Handles one received message; returns why the link must go, or NULL. */
static const char *on_message(struct proxy *p, link_t *l, const uint8_t *buf,
                              uint32_t len)
{
	struct proxy_msg m;
	enum proxy_status st = proxy_decode(buf, len, &m);
	struct export *e;
	if (st != PROXY_OK)
		return proxy_strerror(st);
	switch (m.kind) {
	case PROXY_OPEN:
	case PROXY_CALL:
	case PROXY_CLOSE:
		lock_acquire(&p->lock);
		if (p->busy && p->incoming_epoch != p->epoch) {
			lock_release(&p->lock);
			return refuse_busy(p, l, &m);
		}
		if (p->busy) {
			lock_release(&p->lock);
			return "a second request while one is pending";
		}
		p->busy = 1;
		p->incoming_epoch = p->epoch;
		memcpy(p->incoming.buf, buf, len);
		p->incoming.len = len;
		lock_release(&p->lock);
		semaphore_up(&p->work_sem);
		return NULL;
	case PROXY_OPENED:
	case PROXY_REPLY:
		lock_acquire(&p->lock);
		if (!p->pending || m.tag != p->request_tag) {
			lock_release(&p->lock);
			return "an answer to no request";
		}
		memcpy(p->answer_buf, buf, len);
		proxy_decode(p->answer_buf, len, &p->answer);
		p->pending = 0;
		p->answered = 1;
		lock_release(&p->lock);
		semaphore_up(&p->answer_sem);
		return NULL;
	case PROXY_SIGNAL:
		lock_acquire(&p->lock);
		e = export_find(p, m.ref, PROXY_CAP_SIGNAL, m.session);
		if (e)
			signal_submit(e->cap,
			              m.count); /* never blocks for long */
		lock_release(&p->lock);
		return NULL; /* a signal for a context gone meanwhile: dropped */
	case PROXY_DS:
		return on_ds(p, &m);
	default:
		return "an unexpected message";
	}
}

/* The link went: fail the pending request, drop every reference. */
static void link_down(struct proxy *p)
{
	lock_acquire(&p->lock);
	p->up = 0;
	p->epoch++;
	p->request.full = 0;
	p->reply.full = 0;
	if (p->pending) {
		p->pending = 0;
		semaphore_up(&p->answer_sem);
	}
	lock_release(&p->lock);
	drop(p, 0, 1);
	if (p->cfg.server)
		p->cfg.server->close_all(p->cfg.ctx);
	else if (p->cfg.link_down)
		p->cfg.link_down(p->cfg.ctx);
}

void wake_link(struct proxy *p)
{
	if (cap_valid(p->wake_cap))
		signal_submit(p->wake_cap, 1); /* never blocks for long */
}

signal_receiver_t *proxy_receiver(struct proxy *p)
{
	kcap_t cap;
	if (p->link_rx)
		return p->link_rx;
	if (signal_receiver_create(&p->link_rx))
		return NULL;
	if (signal_receiver_manage(p->link_rx, &p->wake, &cap)) {
		signal_receiver_destroy(p->link_rx);
		p->link_rx = NULL;
		return NULL;
	}
	lock_acquire(&p->lock);
	p->wake_cap = cap;
	lock_release(&p->lock);
	return p->link_rx;
}

/* How long the link thread may sleep: until the next refresh while a
 * dataspace is exported, else until an event (the keepalive is the
 * link's own deadline inside link_wait()). */
static int sleep_ms(struct proxy *p, uint64_t last_refresh)
{
	uint64_t since = clock_now_ns() / 1000000u - last_refresh;
	int any = 0;
	lock_acquire(&p->lock);
	for (uint32_t i = 0; i < REF_SLOTS && !any; i++)
		any = p->exports[i].kind == PROXY_CAP_MEMORY;
	lock_release(&p->lock);
	if (!any)
		return -1;
	return since >= REFRESH_MS ? 0 : (int)(REFRESH_MS - since);
}

void proxy_run(struct proxy *p, link_t *l)
{
	uint64_t last_refresh = 0;
	const char *why = NULL;
	int rc = 0;
	lock_acquire(&p->lock);
	p->up = 1;
	p->epoch++;
	lock_release(&p->lock);
	while (!rc && !why) {
		uint32_t ch, len;
		rc = pump_out(p, l, &last_refresh);
		if (rc)
			break;
		rc = link_recv(l, &ch, p->rx, &len, 0);
		if (rc == LINK_ERR_TIMEOUT) {
			/* woken (1: a message, 0: something to send) or a refresh due */
			rc = link_wait(l, sleep_ms(p, last_refresh));
			if (rc == LINK_ERR_ARGUMENT)
				why = "its stream cannot wait (not made with proxy_receiver())";
			rc = rc >= 0 || rc == LINK_ERR_TIMEOUT || why ? 0 : rc;
			continue;
		}
		if (!rc)
			why = ch == REMOTE_RPC_CHANNEL
			              ? on_message(p, l, p->rx, len)
			              : "a message on another channel";
	}
	snprintf(p->down_why, sizeof p->down_why, "%s",
	         why ? why : link_error(l));
	say(p, "link to %s down: %s", p->cfg.peer, p->down_why);
	link_close(l);
	link_down(p);
}

const char *proxy_link_error(const struct proxy *p)
{
	return p->down_why;
}

int proxy_create(struct proxy **out, const struct proxy_config *cfg)
{
	struct proxy *p = calloc(1, sizeof *p);
	if (!p)
		return KERR_NOMEM;
	forwarding_init();
	p->cfg = *cfg;
	p->wake_cap = KCAP_INVALID;
	lock_init(&p->lock);
	semaphore_init(&p->answer_sem, 0);
	semaphore_init(&p->work_sem, 0);
	for (uint32_t i = 0; i < REF_SLOTS; i++) {
		p->exports[i].cap = KCAP_INVALID;
		p->exports[i].ds = DATASPACE_EMPTY;
	}
	if (thread_start(&p->worker, "worker", (size_t)256 * 1024, worker, p)) {
		free(p);
		return KERR_NOMEM;
	}
	*out = p;
	return 0;
}
