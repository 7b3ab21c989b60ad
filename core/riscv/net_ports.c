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
 * A turn: the device's control messages (a host side opened or closed),
 * then each port with a stream, both directions, each until it cannot
 * go on without waiting:
 *   - host to client: what the port got goes into the stream by writes
 *     that never wait (timeout 0); what did not fit stays in the port's
 *     buffer (one page) and nothing more is read from the port until it
 *     went, so the device keeps its pages, QEMU stops reading the host's
 *     socket, and TCP holds the host up: nothing grows in core.
 *   - client to host: what the client wrote is read from the stream
 *     (timeout 0) into a page and handed to the port as far as its
 *     transmit buffers take it; the rest waits for the device.
 * The thread waits on the device's interrupt and the streams in its
 * waitset. The kernel reports a stream in a waitset only while it is
 * readable (bytes, its other end closed, the pair failed), never when
 * it has room again, and reports it at every wait for as long as that
 * lasts: so a stream is in the waitset exactly while its page toward the
 * host is empty (else the thread would wake at once and again), and
 * while anything waits for room (a client's ring, the device's buffers)
 * the thread waits RETRY_MS at most and tries again; POLL_MS otherwise,
 * so a message whose interrupt was missed is taken at the next turn.
 *
 * A stream ends (core fails the pair, then closes its end) when the
 * owner replaces or closes it, when the host side closes (once what the
 * host sent before went into the client's ring; the kernel answers a
 * failed pair's reads with KERR_REVOKED before its bytes, so what the
 * client had not read by then is lost, as a reset loses it), or when the
 * client closed its end (a read of 0); from then on the port's input is
 * dropped until the next attach.
 */
#include "net_ports.h"
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

/* Bytes on their way one direction: one page, fixed. */
struct pending {
	uint32_t off, len;
	char buf[PAGE];
};

/* A port of the device, by its id, and the stream attached to it. */
struct link {
	uint32_t conn;  /* how often its host side opened */
	uint32_t taken; /* the opening that got the last stream */
	int open;       /* its host side, as `seen` last said */
	kcap_t end;     /* core's end of the stream, or invalid */
	const void *owner;
	int closing; /* the host side closed: the client gets the rest */
	int in_ws;   /* `end` is in the waitset */
	struct pending to_client, to_host;
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
 * out of the waitset and closed; the bytes on their way dropped. */
static void end_stream(struct link *l)
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
	l->to_client.len = l->to_host.len = 0;
}

static void port_seen(void *arg, unsigned id, const char *name, int open)
{
	struct link *l = &np.links[id];
	(void)arg;
	target_logf(NULL, "net: the host side of port '%s' %s", name,
	            open ? "opened" : "closed");
	if (open) {
		/* a stream of the connection before has nothing to wait
		 * for any more */
		end_stream(l);
		l->conn++;
	} else if (kcap_valid(l->end)) {
		l->closing = 1;
	}
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

/* Host to client, until the client's ring or the port's input is
 * spent: 1 while bytes wait for room, 0, or -1 (the device broke the
 * queue). Ends the stream when the client's end is closed or, once the
 * host side closed, when the client has every byte. */
static int to_client(unsigned id, struct link *l)
{
	struct pending *p = &l->to_client;
	for (;;) {
		if (p->len == 0) {
			long n = virtio_console_port_read(np.vc, id, p->buf,
			                                  sizeof(p->buf));
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			p->off = 0;
			p->len = (uint32_t)n;
		}
		long w = kstream_write(l->end, p->buf + p->off, p->len, 0);
		if (w == KERR_TIMEOUT)
			return 1;
		if (w < 0) { /* the client closed its end */
			end_stream(l);
			return 0;
		}
		p->off += (uint32_t)w;
		p->len -= (uint32_t)w;
	}
	if (l->closing)
		end_stream(l);
	return 0;
}

/* Client to host, until the stream or the port's transmit buffers are
 * spent: 1 while bytes wait for the device, 0, or -1. A closed host side
 * takes nothing: what the client writes then is dropped. */
static int to_host(unsigned id, struct link *l)
{
	struct pending *p = &l->to_host;
	for (;;) {
		if (p->len == 0) {
			long r = kstream_read(l->end, p->buf, sizeof(p->buf),
			                      0);
			if (r == KERR_TIMEOUT)
				return 0;
			if (r <= 0) { /* the client closed its end */
				end_stream(l);
				return 0;
			}
			p->off = 0;
			p->len = l->open ? (uint32_t)r : 0;
			continue;
		}
		long w = virtio_console_port_write(np.vc, id, p->buf + p->off,
		                                   p->len);
		if (w < 0)
			return -1;
		if (w == 0)
			return 1;
		p->off += (uint32_t)w;
		p->len -= (uint32_t)w;
	}
}

/* One port's turn: 1 while bytes wait for room, 0, or -1. */
static int pump(unsigned id, struct link *l)
{
	if (!kcap_valid(l->end))
		return drop_input(id);
	int in = to_client(id, l);
	int out = in >= 0 && kcap_valid(l->end) ? to_host(id, l) : 0;
	if (in < 0 || out < 0)
		return -1;
	if (kcap_valid(l->end)) {
		int want = l->to_host.len == 0;
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
		end_stream(&np.links[id]);
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
                                      int fresh, kcap_t *client)
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
	else if (fresh && l->taken == l->conn)
		rc = NET_PORT_TAKEN;
	else if (kcap_valid(l->end) && l->owner != owner &&
	         (pump(id, l) < 0 || kcap_valid(l->end)))
		rc = NET_PORT_IN_USE; /* its client did not close it just now */
	else if ((first = sys_stream_create(&second)) < 0)
		rc = NET_PORT_NO_STREAM;
	if (rc == NET_PORT_ATTACHED) {
		for (unsigned i = 1; i < VIRTIO_PORTS_MAX; i++)
			if (np.links[i].owner == owner)
				end_stream(&np.links[i]);
		l->end = (kcap_t){ (int32_t)first };
		l->owner = owner;
		l->taken = l->conn;
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
			end_stream(&np.links[id]);
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
