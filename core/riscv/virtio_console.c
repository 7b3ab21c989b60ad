/*
 * The virtio consoles of virtio_console.h: modern virtio-mmio transports
 * (virtio_mmio.h) with device id 3. Neither
 * multiport nor any other feature is taken but VIRTIO_F_VERSION_1, so
 * port 0 is a console's only port and QEMU counts it open from the start.
 * The first console on the board (the highest transport: QEMU's virt
 * board gives it to the first device of its command line) is the control
 * channel's input: port 0 (a virtconsole), no feature but
 * VIRTIO_F_VERSION_1, so port 0 is its only port and QEMU counts it open
 * from the start; its receive queue (queue 0) full of page-sized buffers
 * the device writes the host's bytes into by DMA; its transmit queue is
 * never set up. The second, if there is one, is the output of core's
 * frames to the host (host_frames.c): port 1 (a virtserialport, nr=1),
 * with VIRTIO_CONSOLE_F_MULTIPORT taken, and only that port's transmit
 * queue (queue 5) set up, into which core copies its bytes; no receive
 * queue, so QEMU never reads that port's character device, and no
 * control queues: the port is the arguments' (tests/riscv/qemu-control.sh),
 * QEMU takes its bytes once its character device is open, and core needs
 * none of the control messages (names, hot plug, opening). The third, if
 * there is one, holds the net ports (net_ports.h): multiport, its control
 * queues (2 and 3) and the two queues of each of ports 1..7, with an
 * interrupt; core answers the device's control messages (a port added
 * is made ready, a name kept, core's side of a named port opened, the
 * host side's opening and closing passed on), and each port's bytes go
 * both ways through its 4 pages of each queue.
 *
 * Why port 1 of a second device: QEMU gives a port one character device,
 * and the control channel's is a fifo that QEMU opens read-write and the
 * host writes into; the first device's output would go into that fifo
 * and come back as input. A second device has a character device of its
 * own (a second fifo, which riscv-console reads), and a life of its own:
 * the control channel's device is reset when the channel ends (init's
 * end), the frames' output lives as long as core. Port 1 and not port 0:
 * QEMU drops what a console port (port 0 is one) cannot write at once to
 * a full character device (seen: a report of 512 KiB cut short), where it
 * holds a serial port's buffers until the host reads, which is what lets
 * core wait for a slow host.
 *
 * Why this and not the UART: a virtio queue moves up to RX_BUFS pages
 * per turn of QEMU's main loop, where the UART moved 14 bytes and cost
 * two register reads (two exits of QEMU's) per byte: ~55 KB/s before,
 * 1 MiB in well under a second now (kernel/riscv/README.md has the
 * figures); the other way, SBI's putchar costs a trap into OpenSBI and a
 * register write per byte (~14 KB/s), a transmit queue one notification
 * per page or frame.
 *
 * The device is hostile input like the bytes it carries: its registers
 * are checked by virtio_mmio.c (magic, version, id, features, queue size)
 * before they are used and the used ring by virtqueue.c, and a device that breaks the queue
 * ends the channel with one line saying why. The device is reset before
 * its buffers are freed, so it never touches memory core gave back.
 */
#include "virtio_console.h"
#include "virtio_mmio.h"

#include <assert.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICE_CONSOLE 3u
#define F_MULTIPORT    2u /* VIRTIO_CONSOLE_F_MULTIPORT: bit 1 */

#define RX_QUEUE 0u /* port 0's receive queue */
#define TX_QUEUE 5u /* port 1's transmit queue (multiport) */
#define CTL_RX_QUEUE 2u /* the control messages from the device */
#define CTL_TX_QUEUE 3u /* the control messages to the device */
/* Control messages the device may send before core took them: QEMU drops
 * one that finds no buffer, and at DEVICE_READY it sends every port's
 * ADD, then for each port NAME and OPEN (three a port; a fourth of
 * slack). Core's own to the device are taken as they are written. */
#define CTL_RX_BUFS  (4u * VIRTIO_PORTS_MAX)
#define CTL_TX_BUFS  8u
#define PORT_BUFS    4u /* pages in flight on a net port, each way */
/* A port's receive queue (its transmit queue follows); port 0 (queues 0
 * and 1) is a console's, never a net port. */
#define PORT_RX_QUEUE(id) (2u * (id) + 2u)
#define RX_BUFS  32u /* pages the device may fill before core reads */
#define TX_BUFS  32u /* pages core may fill before the device read them */
#define PAGE     VIRTIO_PAGE

/* The control messages (virtio 1.x, 5.3.6.2): a header, and a port's name
 * after it for PORT_NAME. */
struct control_msg {
	uint32_t id; /* the port */
	uint16_t event;
	uint16_t value;
};
#define DEVICE_READY 0u
#define PORT_ADD     1u
#define PORT_REMOVE  2u
#define PORT_READY   3u
#define PORT_OPEN    6u
#define PORT_NAME    7u

/* One virtqueue, its memory, and where core is in its buffers. */
struct queue {
	struct virtio_queue m;
	/* a transmit queue's buffers not with the device, a stack of ids */
	uint16_t free_ids[TX_BUFS];
	unsigned free_count;
	int cur; /* the buffer being read (receive), filled (transmit), or -1 */
	uint32_t cur_len, cur_pos;
};

/* What a console is for (virtio_console.h). */
enum kind {
	CONSOLE_IN, /* the control channel's input: port 0's receive queue */
	FRAMES_OUT, /* the frames' output: port 1's transmit queue */
	PORTS       /* the net ports: the control queues (multiport) */
};

/* A port of PORTS as the device's control messages described it. */
struct port {
	char name[VIRTIO_PORT_NAME_MAX + 1]; /* "": none (yet, or refused) */
	uint8_t added, open;
};

struct virtio_console {
	struct virtio_mmio t;
	enum kind kind;
	/* the queue in use: receive (CONSOLE_IN), transmit (FRAMES_OUT), the
	 * control receive queue (PORTS) */
	struct queue q;
	struct queue ctl_out; /* PORTS: the control transmit queue */
	/* PORTS: each port's receive and transmit queues (not port 0's) */
	struct queue port_in[VIRTIO_PORTS_MAX], port_out[VIRTIO_PORTS_MAX];
	kwaitset_t *ws;                      /* t.irq_src is in it */
	struct port ports[VIRTIO_PORTS_MAX]; /* PORTS: by the device's id */
	const char *broken; /* PORTS: why the control messages stopped */
};

static_assert(RX_BUFS <= VQ_SIZE_MAX && TX_BUFS <= VQ_SIZE_MAX,
              "a queue holds every buffer");

/* Queue `index` of the console with up to `want` buffers: a receive
 * queue's (`in`) all offered to the device, a transmit queue's all on
 * its free stack. 0, or -1 with why. */
static int queue_set_up(struct virtio_console *vc, struct queue *q,
                        unsigned index, uint16_t want, int in, char *why,
                        size_t len)
{
	q->cur = -1;
	if (virtio_mmio_queue_set_up(&vc->t, &q->m, index, want, in, why,
	                             len) != 0)
		return -1;
	for (uint16_t i = 0; !in && i < q->m.vq.size; i++)
		q->free_ids[q->free_count++] = (uint16_t)(q->m.vq.size - 1 - i);
	return 0;
}

/* Features and the kind's queues (virtio_console.h): 0, or -1 with
 * why. */
static int set_up(struct virtio_console *vc, char *why, size_t len)
{
	int multiport = vc->kind != CONSOLE_IN;
	if (virtio_mmio_negotiate(&vc->t, multiport ? F_MULTIPORT : 0,
	                          "VIRTIO_CONSOLE_F_MULTIPORT", why, len) != 0)
		return -1;
	int rc;
	switch (vc->kind) {
	case CONSOLE_IN:
		rc = queue_set_up(vc, &vc->q, RX_QUEUE, RX_BUFS, 1, why, len);
		break;
	case FRAMES_OUT:
		rc = queue_set_up(vc, &vc->q, TX_QUEUE, TX_BUFS, 0, why, len);
		break;
	default:
		rc = queue_set_up(vc, &vc->q, CTL_RX_QUEUE, CTL_RX_BUFS, 1, why,
		                  len);
		if (rc == 0)
			rc = queue_set_up(vc, &vc->ctl_out, CTL_TX_QUEUE,
			                  CTL_TX_BUFS, 0, why, len);
		for (unsigned id = 1; rc == 0 && id < VIRTIO_PORTS_MAX; id++) {
			rc = queue_set_up(vc, &vc->port_in[id],
			                  PORT_RX_QUEUE(id), PORT_BUFS, 1, why,
			                  len);
			if (rc == 0)
				rc = queue_set_up(vc, &vc->port_out[id],
				                  PORT_RX_QUEUE(id) + 1,
				                  PORT_BUFS, 0, why, len);
		}
	}
	if (rc != 0)
		return -1;
	virtio_mmio_driver_ok(&vc->t);
	if (vc->kind == CONSOLE_IN)
		virtio_mmio_notify(&vc->t, &vc->q.m);
	if (vc->kind == PORTS) {
		virtio_mmio_notify(&vc->t, &vc->q.m);
		for (unsigned id = 1; id < VIRTIO_PORTS_MAX; id++)
			virtio_mmio_notify(&vc->t, &vc->port_in[id].m);
	}
	return 0;
}

/* The device's interrupt on a signal in `ws`: 0, or -1 with why. */
static int bind_irq(struct virtio_console *vc, kwaitset_t *ws, char *why,
                    size_t len)
{
	if (virtio_mmio_take_irq(&vc->t, why, len) != 0)
		return -1;
	int rc = kwaitset_add_signal(ws, vc->t.irq_src, vc);
	if (rc != 0) {
		snprintf(why, len, "cannot take interrupt %u: %s",
		         (unsigned)vc->t.irq, kerr_str(rc));
		return -1;
	}
	vc->ws = ws;
	return 0;
}

/* The console of `kind`, the `nth` on the board, its interrupt in `ws`
 * unless NULL: 0, 1 when the board has no `nth` console, -1 with why. */
static int start(struct virtio_console **out, enum kind kind, unsigned nth,
                 kwaitset_t *ws, char *why, size_t len)
{
	struct virtio_console *vc = calloc(1, sizeof(*vc));
	if (!vc) {
		snprintf(why, len, "core is out of memory");
		return -1;
	}
	vc->kind = kind;
	int found = virtio_mmio_find(&vc->t, DEVICE_CONSOLE, nth,
	                             "virtio console", "", why, len);
	if (found != 0 || (ws && bind_irq(vc, ws, why, len) != 0) ||
	    set_up(vc, why, len) != 0) {
		virtio_console_stop(vc);
		return found > 0 ? 1 : -1;
	}
	*out = vc;
	return 0;
}

int virtio_console_start(struct virtio_console **out, kwaitset_t *ws, char *why,
                         size_t len)
{
	return start(out, CONSOLE_IN, 0, ws, why, len) == 0 ? 0 : -1;
}

/* No interrupt: a writer looks at the used ring when it needs a buffer
 * (virtio_console_write), so the device's line stays unbound. */
int virtio_console_start_output(struct virtio_console **out, char *why,
                                size_t len)
{
	return start(out, FRAMES_OUT, 1, NULL, why, len) == 0 ? 0 : -1;
}

/* A transmit queue's buffers the device has read, back on the free
 * stack; -1 once the device broke the queue. */
static int reclaim(struct queue *q)
{
	uint16_t id;
	uint32_t got;
	enum vq_take t;
	while ((t = vq_take(&q->m.vq, &id, &got)) == VQ_TAKEN)
		q->free_ids[q->free_count++] = id;
	return t == VQ_BROKEN ? -1 : 0;
}

/* A receive queue: buffer `id`, read, back to the device for more. */
static void give_back(struct queue *q, uint16_t id)
{
	/* cannot fail: the id was just given back by the device */
	(void)vq_offer(&q->m.vq, id, q->m.buf_phys[id], PAGE);
}

/* A transmit queue: the buffer being filled to the device (the caller
 * tells the device). */
static void offer_current(struct queue *q)
{
	/* cannot fail: the id came off the free stack */
	(void)vq_offer_out(&q->m.vq, (uint16_t)q->cur, q->m.buf_phys[q->cur],
	                   q->cur_len);
	q->cur = -1;
}

/* A transmit queue: virtio_console_write's work. */
static long queue_write(struct virtio_console *vc, struct queue *q,
                        const void *data, size_t len)
{
	const char *p = data;
	size_t n = 0;
	int offered = 0;
	if (reclaim(q) != 0)
		return -1;
	while (n < len) {
		if (q->cur < 0) {
			if (q->free_count == 0)
				break;
			q->cur = q->free_ids[--q->free_count];
			q->cur_len = 0;
		}
		size_t take = PAGE - q->cur_len;
		if (take > len - n)
			take = len - n;
		memcpy(q->m.bufs + (size_t)q->cur * PAGE + q->cur_len, p + n,
		       take);
		n += take;
		q->cur_len += (uint32_t)take;
		if (q->cur_len == PAGE) {
			offer_current(q);
			offered = 1;
		}
	}
	if (offered)
		virtio_mmio_notify(&vc->t, &q->m);
	return (long)n;
}

/* A transmit queue: virtio_console_flush's work. */
static int queue_flush(struct virtio_console *vc, struct queue *q)
{
	if (q->cur >= 0 && q->cur_len > 0) {
		offer_current(q);
		virtio_mmio_notify(&vc->t, &q->m);
	}
	if (reclaim(q) != 0)
		return -1;
	return (int)q->m.vq.offered;
}

long virtio_console_write(struct virtio_console *vc, const void *data,
                          size_t len)
{
	return queue_write(vc, &vc->q, data, len);
}

int virtio_console_flush(struct virtio_console *vc)
{
	return queue_flush(vc, &vc->q);
}

/* A receive queue: virtio_console_read's work. */
static long queue_read(struct virtio_console *vc, struct queue *q, char *buf,
                       size_t len)
{
	size_t n = 0;
	int offered = 0, acked = 0;
	while (n < len) {
		if (q->cur < 0) {
			uint16_t id;
			uint32_t got;
			enum vq_take t = virtio_mmio_take(&vc->t, &q->m, &acked,
			                                  &id, &got);
			if (t == VQ_BROKEN)
				return -1;
			if (t == VQ_EMPTY)
				break;
			q->cur = id;
			q->cur_len = got;
			q->cur_pos = 0;
		}
		size_t take = q->cur_len - q->cur_pos;
		if (take > len - n)
			take = len - n;
		memcpy(buf + n, q->m.bufs + (size_t)q->cur * PAGE + q->cur_pos,
		       take);
		n += take;
		q->cur_pos += (uint32_t)take;
		if (q->cur_pos == q->cur_len) {
			give_back(q, (uint16_t)q->cur);
			q->cur = -1;
			offered = 1;
		}
	}
	if (offered)
		virtio_mmio_notify(&vc->t, &q->m);
	if (acked) /* nothing is left that the interrupt announced */
		virtio_mmio_irq_done(&vc->t);
	return (long)n;
}

long virtio_console_read(struct virtio_console *vc, char *buf, size_t len)
{
	return queue_read(vc, &vc->q, buf, len);
}

/* PORTS: one control message to the device; -1 when the device neither
 * reads them nor broke the queue (all CTL_TX_BUFS with it) or broke it. */
static int control_send(struct virtio_console *vc, uint32_t id, uint16_t event,
                        uint16_t value)
{
	struct queue *q = &vc->ctl_out;
	if (reclaim(q) != 0)
		return -1;
	if (q->free_count == 0) {
		vc->broken = "the device stopped taking control messages";
		return -1;
	}
	uint16_t d = q->free_ids[--q->free_count];
	struct control_msg m = { id, event, value };
	memcpy(q->m.bufs + (size_t)d * PAGE, &m, sizeof(m));
	/* cannot fail: the id came off the free stack */
	(void)vq_offer_out(&q->m.vq, d, q->m.buf_phys[d], sizeof(m));
	virtio_mmio_notify(&vc->t, &q->m);
	return 0;
}

/* A port's name as the device sent it (`len` bytes, a NUL at the end or
 * not), kept if it is a name core can use: up to VIRTIO_PORT_NAME_MAX
 * bytes of letters, digits, '.', '-', '_'; otherwise the port stays
 * without one and is never used. */
static void take_name(struct port *p, const char *name, size_t len)
{
	if (len > 0 && name[len - 1] == '\0')
		len--;
	p->name[0] = '\0';
	if (len == 0 || len > VIRTIO_PORT_NAME_MAX)
		return;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_'))
			return;
	}
	memcpy(p->name, name, len);
	p->name[len] = '\0';
}

/* One control message from the device (`len` bytes at `at`), applied to
 * the ports: 0, or -1 if it cannot be answered. A port id past
 * VIRTIO_PORTS_MAX and an event core does not take are ignored; a
 * message shorter than its header breaks the channel. */
static int control_take(struct virtio_console *vc, const unsigned char *at,
                        uint32_t len, virtio_port_seen_fn *seen, void *arg)
{
	struct control_msg m;
	if (len < sizeof(m)) {
		vc->broken = "the device sent a control message shorter than "
			     "its header";
		return -1;
	}
	memcpy(&m, at, sizeof(m));
	if (m.id == 0 || m.id >= VIRTIO_PORTS_MAX)
		return 0;
	struct port *p = &vc->ports[m.id];
	switch (m.event) {
	case PORT_ADD:
		memset(p, 0, sizeof(*p));
		p->added = 1;
		return control_send(vc, m.id, PORT_READY, 1);
	case PORT_REMOVE:
		if (p->open && p->name[0])
			seen(arg, m.id, p->name, 0);
		memset(p, 0, sizeof(*p));
		return 0;
	case PORT_NAME:
		if (!p->added || p->name[0])
			return 0;
		take_name(p, (const char *)at + sizeof(m), len - sizeof(m));
		if (!p->name[0])
			return 0;
		/* a host side that opened before the name came (a port added
		 * live whose socket connected at once) is said now */
		if (p->open)
			seen(arg, m.id, p->name, 1);
		/* core's side open: QEMU passes the host's bytes (and sees
		 * the host's end of the connection) only then */
		return control_send(vc, m.id, PORT_OPEN, 1);
	case PORT_OPEN:
		if (!p->added || p->open == (m.value != 0))
			return 0;
		p->open = m.value != 0;
		if (p->name[0])
			seen(arg, m.id, p->name, p->open);
		return 0;
	default:
		return 0;
	}
}

int virtio_console_start_ports(struct virtio_console **out, kwaitset_t *ws,
                               char *why, size_t len)
{
	int rc = start(out, PORTS, 2, ws, why, len);
	if (rc == 0 && control_send(*out, 0, DEVICE_READY, 1) != 0) {
		snprintf(why, len, "the device took no control message");
		virtio_console_stop(*out);
		return -1;
	}
	return rc;
}

int virtio_console_ports_poll(struct virtio_console *vc,
                              virtio_port_seen_fn *seen, void *arg)
{
	struct queue *q = &vc->q;
	int offered = 0, acked = 0;
	for (;;) {
		uint16_t id;
		uint32_t got;
		enum vq_take t = virtio_mmio_take(&vc->t, &q->m, &acked, &id,
		                                  &got);
		if (t == VQ_BROKEN)
			return -1;
		if (t == VQ_EMPTY)
			break;
		int rc = control_take(vc, q->m.bufs + (size_t)id * PAGE, got,
		                      seen, arg);
		give_back(q, id);
		offered = 1;
		if (rc != 0)
			return -1;
	}
	if (offered)
		virtio_mmio_notify(&vc->t, &q->m);
	virtio_mmio_irq_done(&vc->t);
	return 0;
}

const char *virtio_console_port(const struct virtio_console *vc, unsigned id,
                                int *open)
{
	assert(vc->kind == PORTS && id > 0 && id < VIRTIO_PORTS_MAX);
	const struct port *p = &vc->ports[id];
	*open = p->open;
	return p->added && p->name[0] ? p->name : NULL;
}

long virtio_console_port_read(struct virtio_console *vc, unsigned id, char *buf,
                              size_t len)
{
	assert(vc->kind == PORTS && id > 0 && id < VIRTIO_PORTS_MAX);
	return queue_read(vc, &vc->port_in[id], buf, len);
}

long virtio_console_port_write(struct virtio_console *vc, unsigned id,
                               const void *data, size_t len)
{
	assert(vc->kind == PORTS && id > 0 && id < VIRTIO_PORTS_MAX);
	struct queue *q = &vc->port_out[id];
	long n = queue_write(vc, q, data, len);
	if (n < 0 || queue_flush(vc, q) < 0)
		return -1;
	return n;
}

const char *virtio_console_broken(const struct virtio_console *vc)
{
	if (vc->broken)
		return vc->broken;
	if (vq_broken(&vc->q.m.vq))
		return vq_broken(&vc->q.m.vq);
	if (vq_broken(&vc->ctl_out.m.vq))
		return vq_broken(&vc->ctl_out.m.vq);
	for (unsigned id = 0; id < VIRTIO_PORTS_MAX; id++) {
		if (vq_broken(&vc->port_in[id].m.vq))
			return vq_broken(&vc->port_in[id].m.vq);
		if (vq_broken(&vc->port_out[id].m.vq))
			return vq_broken(&vc->port_out[id].m.vq);
	}
	return NULL;
}

void virtio_console_stop(struct virtio_console *vc)
{
	if (!vc)
		return;
	if (vc->ws)
		kwaitset_remove_signal(vc->ws, vc->t.irq_src);
	virtio_mmio_close(&vc->t); /* the reset first: no DMA after it */
	virtio_mmio_queue_free(&vc->q.m);
	virtio_mmio_queue_free(&vc->ctl_out.m);
	for (unsigned id = 0; id < VIRTIO_PORTS_MAX; id++) {
		virtio_mmio_queue_free(&vc->port_in[id].m);
		virtio_mmio_queue_free(&vc->port_out[id].m);
	}
	free(vc);
}
