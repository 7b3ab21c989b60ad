/*
 * The thread of net_ports.h, which owns the device and pumps the
 * streams; net_ports_attach() and net_ports_detach() run on core's
 * entrypoint (the Net service) and change the ports' table under the
 * one lock, which the thread holds for each of its turns but never while
 * it waits. One thread for every port, not the entrypoint: a turn reads
 * and writes the device's queues and the streams without waiting, but
 * the entrypoint's waitset is the runtime's, and the device's interrupt
 * and the streams' events need a waitset of their own.
 *
 * What crosses a port is frames (core/net_frame.h): the end that dials
 * (`net.NODE.PORT`) sends OPEN when a stream is attached, DATA for the
 * client's bytes and CLOSE when the stream ends; the listening end
 * (`listen.PORT`) counts each OPEN as a connection for accept(). Both
 * decode what comes with the same decoder, which drops the bytes of a
 * connection that ended (stale) and refuses a malformed stream.
 *
 * A turn: the device's control messages (a host side opened or closed),
 * then each port, both directions, each until it cannot go on without
 * waiting:
 *   - host to client: the port's bytes are read into a page and decoded;
 *     a DATA frame's payload goes into the stream by writes that never
 *     wait (timeout 0); what did not fit stays in the page and nothing
 *     more is read from the port until it went, so the device keeps its
 *     pages, QEMU stops reading the host's socket, and TCP holds the host
 *     up: nothing grows in core. A listening port whose peer opened a
 *     connection that no accept() took yet reads nothing more either:
 *     that connection's bytes wait in TCP for its stream.
 *   - client to host: frames owed (a CLOSE, then an OPEN), else what the
 *     client wrote read from the stream (timeout 0) into a page as one
 *     DATA frame (header and payload one page: one buffer of the
 *     device's), handed to the port as far as its transmit buffers take
 *     it; the rest waits for the device. A frame begun is always
 *     finished, also after its stream ended: the peer's decoder must see
 *     whole frames.
 * The thread waits on the device's interrupt and the streams in its
 * waitset. The kernel reports a stream in a waitset only while it is
 * readable (bytes, its other end closed, the pair failed), never when
 * it has room again, and reports it at every wait for as long as that
 * lasts: so a stream is in the waitset exactly while its page toward the
 * host is empty (else the thread would wake at once and again), and
 * while anything waits for room (a client's ring, the device's buffers)
 * the thread waits RETRY_MS at most and tries again; POLL_MS otherwise,
 * so a message whose interrupt was missed (or an OPEN owed since an
 * attach) is taken at the next turn.
 *
 * A stream ends (core fails the pair, then closes its end) when the
 * owner replaces or closes it, or the client closed its end (a read of
 * 0): a CLOSE goes to the peer (none if its OPEN never left); when the
 * peer's CLOSE came, or the peer opened another connection, or the host
 * side closed (once what came before went into the client's ring; the
 * kernel answers a failed pair's reads with KERR_REVOKED before its
 * bytes, so what the client had not read by then is lost, as a reset
 * loses it). From then on the connection's frames are stale and dropped.
 *
 * A malformed stream from the peer: one line naming the port and the
 * decoder's reason, the stream ended, and the port's input read and
 * dropped until its host side opens again, when both ends' decoders
 * start anew: a byte stream has no mark a decoder could find the next
 * frame by, and guessing one could hand a later connection bytes the
 * peer placed there; only a new host connection begins at a frame's
 * start for sure. Until then attach says NET_PORT_BROKEN.
 */
#include "net_ports.h"
#include "net_frame.h"
#include "virtio_console.h"

#include "core_platform.h"
#include "sys.h"
#include "../../kernel/riscv/abi.h"

#include <runtime/lock.h>

#include <kernel/kernel.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define POLL_MS  100
#define RETRY_MS 10
#define PAGE     4096u
#define LISTEN_PREFIX "listen."

/* Bytes on their way one direction: a page, fixed. */
struct pending {
	uint32_t off, len;
	unsigned char buf[PAGE];
};

/* A port of the device, by its id, and the stream attached to it. */
struct link {
	uint32_t conn;  /* listening: how many connections its peer opened */
	uint32_t taken; /* the connection that got the last stream */
	uint32_t ids;   /* dialling: the newest id this end opened; never
	                   reset, so ids only grow on every byte stream */
	int open;       /* its host side, as `seen` last said */
	kcap_t end;     /* core's end of the stream, or invalid */
	const void *owner;
	uint32_t id; /* the stream's connection */
	int closing; /* the host side closed: the client gets the rest */
	int in_ws;   /* `end` is in the waitset */
	uint32_t owe_close, owe_open; /* frames owed to the peer, 0 none */
	struct net_frame_decoder in;
	/* from the port: `slice` bytes at `from_host.off` are payload for
	 * the client, the rest of the page still to decode */
	uint32_t slice;
	struct pending from_host, to_host;
};

/* The thread's state and the table it shares with the entrypoint under
 * `lock`: global with a reason, one device for the machine's life. */
static struct net_ports {
	struct lock lock;
	kwaitset_t *ws;
	struct virtio_console *vc; /* NULL: no ports (none, or stopped) */
	struct link links[VIRTIO_PORTS_MAX];
} np = { .lock = LOCK_INIT };

/* Ends the stream of `l` (under the lock): the pair failed, so that its
 * other end reads and writes KERR_REVOKED whoever holds it, core's end
 * out of the waitset and closed, what came for it and was not in its
 * ring dropped. With `tell` a CLOSE is owed to the peer (none when the
 * connection's OPEN is still owed: the peer never heard of it). */
static void end_stream(struct link *l, int tell)
{
	if (!kcap_valid(l->end))
		return;
	(void)sys_call2(SYS_STREAM_FAIL, l->end.sel, 0);
	if (l->in_ws)
		kwaitset_remove_stream(np.ws, l->end);
	kcap_close(l->end);
	l->end = KCAP_INVALID;
	l->owner = NULL;
	l->closing = 0;
	l->in_ws = 0;
	l->from_host.off += l->slice;
	l->slice = 0;
	net_frame_close(&l->in, l->id);
	if (l->owe_open == l->id)
		l->owe_open = 0;
	else if (tell && l->open)
		l->owe_close = l->id;
}

/* A connection of the listening port's peer that no stream took yet. */
static int offered(const struct link *l)
{
	return !l->in.dials && l->open && l->in.cur != 0 && l->taken != l->conn;
}

static void port_seen(void *arg, unsigned id, const char *name, int open)
{
	struct link *l = &np.links[id];
	(void)arg;
	target_logf(NULL, "net: the host side of port '%s' %s", name,
	            open ? "opened" : "closed");
	if (open) {
		/* a new byte stream: a stream of the one before has nothing
		 * to wait for any more, and framing starts anew */
		end_stream(l, 0);
		net_frame_decoder_init(&l->in,
		                       strncmp(name, LISTEN_PREFIX,
		                               strlen(LISTEN_PREFIX)) != 0);
		l->from_host.len = l->from_host.off = 0;
	} else if (kcap_valid(l->end)) {
		l->closing = 1;
	}
	/* what was on its way to the host side is lost with it */
	l->to_host.len = l->to_host.off = 0;
	l->owe_close = l->owe_open = 0;
	l->open = open;
}

/* Port `id`'s input read and dropped: nobody takes it. 0, or -1 once the
 * device broke the port's queue. */
static int drop_input(unsigned id)
{
	static char sink[PAGE]; /* under the lock */
	long n;
	while ((n = virtio_console_port_read(np.vc, id, sink, sizeof(sink))) >
	       0)
		;
	return n < 0 ? -1 : 0;
}

/* What the decoder found in the port's input, taken. */
static void take_event(unsigned id, struct link *l,
                       const struct net_frame_event *ev)
{
	int open;
	switch (ev->kind) {
	case NET_FRAME_BYTES:
		/* the open connection is the stream's (the decoder makes
		 * its frames stale when the stream ends); the slice ends
		 * where the decoder stopped */
		l->from_host.off = (uint32_t)(ev->bytes - l->from_host.buf);
		if (kcap_valid(l->end))
			l->slice = (uint32_t)ev->len;
		else
			l->from_host.off += (uint32_t)ev->len;
		break;
	case NET_FRAME_OPENED:
		end_stream(l, 0); /* the peer is done with it */
		l->conn++;
		break;
	case NET_FRAME_CLOSED:
		end_stream(l, 0);
		break;
	case NET_FRAME_REFUSED:
		target_logf(NULL,
		            "net: port '%s' refused its peer's stream: "
		            "%s; its input is dropped until its host side "
		            "opens again",
		            virtio_console_port(np.vc, id, &open), ev->why);
		end_stream(l, 0);
		break;
	case NET_FRAME_NOTHING:
		break;
	}
}

/* Host to client, until the client's ring or the port's input is spent
 * (or a connection waits for its accept): 1 while bytes wait for room,
 * 0, or -1 (the device broke the queue). Ends the stream when the
 * client's end is closed or, once the host side closed, when the client
 * has every byte. */
static int to_client(unsigned id, struct link *l)
{
	struct pending *p = &l->from_host;
	if (l->in.refused)
		return drop_input(id);
	for (;;) {
		if (l->slice > 0) {
			long w = kstream_write(l->end, p->buf + p->off,
			                       l->slice, 0);
			if (w == KERR_TIMEOUT)
				return 1;
			if (w < 0) { /* the client closed its end */
				end_stream(l, 1);
				continue;
			}
			p->off += (uint32_t)w;
			l->slice -= (uint32_t)w;
			continue;
		}
		if (offered(l) && !kcap_valid(l->end))
			break;
		if (p->off == p->len) {
			long n = virtio_console_port_read(np.vc, id,
			                                  (char *)p->buf,
			                                  sizeof(p->buf));
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			p->off = 0;
			p->len = (uint32_t)n;
		}
		struct net_frame_event ev;
		size_t used = net_frame_decode(&l->in, p->buf + p->off,
		                               p->len - p->off, &ev);
		p->off += (uint32_t)used;
		take_event(id, l, &ev);
	}
	if (l->closing)
		end_stream(l, 0);
	return 0;
}

/* The next frames for the host into the empty page: the owed CLOSE
 * and OPEN, else what the client wrote as one DATA frame (dropped while
 * the host side is closed), else the CLOSE of a client that closed its
 * end. */
static void next_frames(struct link *l)
{
	struct pending *p = &l->to_host;
	p->off = p->len = 0;
	while (!l->owe_close && !l->owe_open && kcap_valid(l->end)) {
		/* a frame of a page at most: each write of the device's
		 * takes a page, and flushes it */
		long r = kstream_read(l->end, p->buf + NET_FRAME_HEADER,
		                      PAGE - NET_FRAME_HEADER, 0);
		if (r == KERR_TIMEOUT)
			return;
		if (r <= 0) { /* the client closed its end */
			end_stream(l, 1);
			break;
		}
		if (l->open) {
			net_frame_header(p->buf, NET_FRAME_DATA, l->id,
			                 (uint32_t)r);
			p->len = NET_FRAME_HEADER + (uint32_t)r;
			return;
		}
	}
	if (l->owe_close) {
		net_frame_header(p->buf, NET_FRAME_CLOSE, l->owe_close, 0);
		p->len = NET_FRAME_HEADER;
		l->owe_close = 0;
	}
	if (l->owe_open) {
		net_frame_header(p->buf + p->len, NET_FRAME_OPEN, l->owe_open,
		                 0);
		p->len += NET_FRAME_HEADER;
		l->owe_open = 0;
	}
}

/* Client to host, until the stream or the port's transmit buffers are
 * spent: 1 while bytes wait for the device, 0, or -1. */
static int to_host(unsigned id, struct link *l)
{
	struct pending *p = &l->to_host;
	for (;;) {
		if (p->off == p->len) {
			next_frames(l);
			if (p->len == 0)
				return 0;
		}
		long w = virtio_console_port_write(np.vc, id, p->buf + p->off,
		                                   p->len - p->off);
		if (w < 0)
			return -1;
		if (w == 0)
			return 1;
		p->off += (uint32_t)w;
	}
}

/* One port's turn: 1 while bytes wait for room, 0, or -1. */
static int pump(unsigned id, struct link *l)
{
	int in = to_client(id, l);
	int out = in >= 0 ? to_host(id, l) : 0;
	if (in < 0 || out < 0)
		return -1;
	if (kcap_valid(l->end)) {
		int want = l->to_host.off == l->to_host.len;
		if (want && !l->in_ws)
			l->in_ws = kwaitset_add_stream(np.ws, l->end, l) == 0;
		else if (!want && l->in_ws) {
			kwaitset_remove_stream(np.ws, l->end);
			l->in_ws = 0;
		}
	}
	return in > 0 || out > 0;
}

/* One turn over the device: the wait's timeout for the next, or -1 once
 * the device broke a queue. */
static int turn(void)
{
	int waiting = 0;
	if (virtio_console_ports_poll(np.vc, port_seen, NULL) != 0)
		return -1;
	for (unsigned id = 1; id < VIRTIO_PORTS_MAX; id++) {
		int open;
		if (!virtio_console_port(np.vc, id, &open))
			continue;
		int rc = pump(id, &np.links[id]);
		if (rc < 0)
			return -1;
		waiting |= rc;
	}
	return waiting ? RETRY_MS : POLL_MS;
}

/* The device started on a waitset of this thread's (a waitset is its
 * creator thread's to wait on): 0, or -1 with the line said. */
static int ports_set_up(void)
{
	char why[160];
	struct virtio_console *vc = NULL;
	if (kwaitset_create(&np.ws) != 0) {
		target_logf(NULL, "net: no waitset: the net ports are off");
		return -1;
	}
	int rc = virtio_console_start_ports(&vc, np.ws, why, sizeof(why));
	if (rc == 0) {
		lock_acquire(&np.lock);
		np.vc = vc;
		lock_release(&np.lock);
		return 0;
	}
	if (rc < 0)
		target_logf(NULL, "net: %s: the net ports are off", why);
	kwaitset_destroy(np.ws);
	return -1;
}

static void ports_main(void *arg)
{
	kevent_t event;
	kmsg_t msg; /* never filled: no endpoint is in ws */
	int timeout;
	(void)arg;
	if (ports_set_up() != 0)
		return;
	for (;;) {
		lock_acquire(&np.lock);
		timeout = turn();
		lock_release(&np.lock);
		if (timeout < 0)
			break;
		(void)kwaitset_wait(np.ws, &event, &msg, timeout);
	}
	lock_acquire(&np.lock);
	target_logf(NULL, "net: the ports' virtio console stopped: %s",
	            virtio_console_broken(np.vc));
	for (unsigned id = 1; id < VIRTIO_PORTS_MAX; id++)
		end_stream(&np.links[id], 0);
	/* the device reset, so it never touches memory core gave back */
	virtio_console_stop(np.vc);
	np.vc = NULL;
	lock_release(&np.lock);
	kwaitset_destroy(np.ws);
}

/* The port named `name`: its id, or 0. Under the lock. */
static unsigned port_named(const char *name, int *open)
{
	for (unsigned id = 1; np.vc && id < VIRTIO_PORTS_MAX; id++) {
		const char *n = virtio_console_port(np.vc, id, open);
		if (n && strcmp(n, name) == 0)
			return id;
	}
	return 0;
}

enum net_port_attach net_ports_attach(const char *name, const void *owner,
                                      kcap_t *client)
{
	enum net_port_attach rc = NET_PORT_ATTACHED;
	int open = 0;
	long second = -1, first = -1;
	lock_acquire(&np.lock);
	unsigned id = port_named(name, &open);
	struct link *l = &np.links[id];
	if (!id)
		rc = NET_PORT_NONE;
	else if (!open || l->closing)
		rc = NET_PORT_CLOSED;
	else if (l->in.refused || (l->in.dials && l->ids == UINT32_MAX))
		rc = NET_PORT_BROKEN;
	else if (!l->in.dials && !offered(l))
		rc = NET_PORT_TAKEN;
	else if (kcap_valid(l->end) && l->owner != owner &&
	         (pump(id, l) < 0 || kcap_valid(l->end)))
		rc = NET_PORT_IN_USE; /* its client did not close it just now */
	else if ((first = sys_stream_create(&second)) < 0)
		rc = NET_PORT_NO_STREAM;
	if (rc == NET_PORT_ATTACHED) {
		for (unsigned i = 1; i < VIRTIO_PORTS_MAX; i++)
			if (np.links[i].owner == owner)
				end_stream(&np.links[i], 1);
		l->end = (kcap_t){ (int32_t)first };
		l->owner = owner;
		if (l->in.dials) {
			/* cannot fail: above the newest, not refused */
			l->id = ++l->ids;
			(void)net_frame_open(&l->in, l->id);
			l->owe_open = l->id;
		} else {
			l->id = l->in.cur;
			l->taken = l->conn;
		}
		/* in the waitset now: the client's first bytes wake the
		 * thread */
		l->in_ws = kwaitset_add_stream(np.ws, l->end, l) == 0;
		client->sel = (int32_t)second;
	}
	lock_release(&np.lock);
	return rc;
}

void net_ports_detach(const void *owner)
{
	lock_acquire(&np.lock);
	for (unsigned id = 1; id < VIRTIO_PORTS_MAX; id++)
		if (np.links[id].owner == owner)
			end_stream(&np.links[id], 1);
	lock_release(&np.lock);
}

void net_ports_start(void)
{
	static kthread_t *thread; /* lives as long as core */
	for (unsigned id = 0; id < VIRTIO_PORTS_MAX; id++)
		np.links[id].end = KCAP_INVALID;
	if (kthread_create(&thread, "net-ports", (size_t)32 * 1024, ports_main,
	                   NULL) != 0)
		target_logf(NULL, "net: no thread: the net ports are off");
}
