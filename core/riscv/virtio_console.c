/*
 * The virtio consoles of virtio_console.h: virtio-mmio transports of
 * version 2 (modern; QEMU's virt board makes them legacy unless told
 * -global virtio-mmio.force-legacy=false) with device id 3. Neither
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
 * are checked (magic, version, id, queue size) before they are used and
 * the used ring through virtqueue.c, and a device that breaks the queue
 * ends the channel with one line saying why. The device is reset before
 * its buffers are freed, so it never touches memory core gave back.
 */
#include "virtio_console.h"
#include "virtqueue.h"

#include "sys.h"
#include "../../kernel/riscv/abi.h"
#include "../../kernel/riscv/arch.h"

#include <kernel/device.h>

#include <assert.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* virtio-mmio registers (virtio 1.x, 4.2.2), byte offsets. */
#define REG_MAGIC          0x000
#define REG_VERSION        0x004
#define REG_DEVICE_ID      0x008
#define REG_DEV_FEATURES   0x010
#define REG_DEV_FEAT_SEL   0x014
#define REG_DRV_FEATURES   0x020
#define REG_DRV_FEAT_SEL   0x024
#define REG_QUEUE_SEL      0x030
#define REG_QUEUE_NUM_MAX  0x034
#define REG_QUEUE_NUM      0x038
#define REG_QUEUE_READY    0x044
#define REG_QUEUE_NOTIFY   0x050
#define REG_INT_STATUS     0x060
#define REG_INT_ACK        0x064
#define REG_STATUS         0x070
#define REG_QUEUE_DESC     0x080 /* low, high at +4 */
#define REG_QUEUE_DRIVER   0x090
#define REG_QUEUE_DEVICE   0x0a0

#define MAGIC_VIRT      0x74726976u /* "virt" */
#define DEVICE_CONSOLE  3u
#define F_VERSION_1_HI  1u /* feature bit 32: bit 0 of the second word */
#define F_MULTIPORT     2u /* VIRTIO_CONSOLE_F_MULTIPORT: bit 1 */

#define S_ACKNOWLEDGE 1u
#define S_DRIVER      2u
#define S_DRIVER_OK   4u
#define S_FEATURES_OK 8u

#define RX_QUEUE 0u /* port 0's receive queue */
#define TX_QUEUE 5u /* port 1's transmit queue (multiport) */
#define CTL_RX_QUEUE 2u /* the control messages from the device */
#define CTL_TX_QUEUE 3u /* the control messages to the device */
#define CTL_BUFS     8u /* control messages in flight, each way */
#define PORT_BUFS    4u /* pages in flight on a net port, each way */
/* A port's receive queue (its transmit queue follows); port 0 (queues 0
 * and 1) is a console's, never a net port. */
#define PORT_RX_QUEUE(id) (2u * (id) + 2u)
#define RX_BUFS  32u /* pages the device may fill before core reads */
#define TX_BUFS  32u /* pages core may fill before the device read them */
#define PAGE     4096u

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
#define REGS_SIZE ((size_t)VIRTIO_MMIO_COUNT * PAGE)

/* One virtqueue and its memory: the rings' page and its page-sized
 * buffers, one per descriptor. */
struct queue {
	kcap_t ring_mem, buf_mem;
	void *ring;          /* the rings' page */
	unsigned char *bufs; /* vq.size pages */
	uint64_t buf_phys[RX_BUFS];
	struct virtqueue vq;
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
	kcap_t regs_mem;
	void *regs_map;          /* every transport's page */
	volatile uint32_t *regs; /* the console's transport */
	enum kind kind;
	/* the queue in use: receive (CONSOLE_IN), transmit (FRAMES_OUT), the
	 * control receive queue (PORTS) */
	struct queue q;
	struct queue ctl_out; /* PORTS: the control transmit queue */
	/* PORTS: each port's receive and transmit queues (not port 0's) */
	struct queue port_in[VIRTIO_PORTS_MAX], port_out[VIRTIO_PORTS_MAX];
	ksignal_source_t *irq_src;
	kwaitset_t *ws; /* irq_src is in it */
	kcap_t irq_cap;
	uint32_t irq;
	int irq_bound, started;
	struct port ports[VIRTIO_PORTS_MAX]; /* PORTS: by the device's id */
	const char *broken; /* PORTS: why the control messages stopped */
};

static_assert(TX_BUFS == RX_BUFS, "one array of buffer addresses serves both");

static uint32_t reg(const struct virtio_console *vc, unsigned at)
{
	return vc->regs[at / 4];
}

static void reg_set(struct virtio_console *vc, unsigned at, uint32_t v)
{
	vc->regs[at / 4] = v;
}

static void reg_set64(struct virtio_console *vc, unsigned at, uint64_t v)
{
	reg_set(vc, at, (uint32_t)v);
	reg_set(vc, at + 4, (uint32_t)(v >> 32));
}

/* The physical address of byte `offset` of one of core's RAM objects. */
static int phys_of(kcap_t mem, size_t offset, uint64_t *phys)
{
	long p = sys_call2(SYS_MEM_PHYS, mem.sel, (long)offset);
	if (p < 0)
		return -1;
	*phys = (uint64_t)p;
	return 0;
}

/* A RAM object of `size` bytes mapped read-write; -1 on failure (nothing
 * kept). */
static int ram(size_t size, kcap_t *mem, void **addr)
{
	if (kmem_create(size, mem) != 0)
		return -1;
	if (kmem_map(*mem, 0, size, KMEM_READ | KMEM_WRITE, NULL, addr) != 0) {
		kcap_close(*mem);
		return -1;
	}
	return 0;
}

/* The `nth` (0: the first) virtio console from the highest transport
 * down, a modern one: 0, 1 with why when the board has none such, or -1
 * with why. */
static int find(struct virtio_console *vc, unsigned nth, char *why, size_t len)
{
	if (kdevice_mem_create(VIRTIO_MMIO_BASE, REGS_SIZE, &vc->regs_mem) !=
	    0) {
		snprintf(why, len, "no access to the virtio-mmio registers");
		return -1;
	}
	if (kmem_map(vc->regs_mem, 0, REGS_SIZE, KMEM_READ | KMEM_WRITE, NULL,
	             &vc->regs_map) != 0) {
		kcap_close(vc->regs_mem);
		vc->regs_map = NULL;
		snprintf(why, len, "cannot map the virtio-mmio registers");
		return -1;
	}
	int legacy = 0;
	unsigned skip = nth;
	for (unsigned i = VIRTIO_MMIO_COUNT; i-- > 0;) {
		vc->regs = (volatile uint32_t *)((char *)vc->regs_map +
		                                 i * PAGE);
		if (reg(vc, REG_MAGIC) != MAGIC_VIRT ||
		    reg(vc, REG_DEVICE_ID) != DEVICE_CONSOLE)
			continue;
		if (reg(vc, REG_VERSION) != 2) {
			legacy = 1;
			continue;
		}
		if (skip-- > 0)
			continue;
		vc->irq = VIRTIO_MMIO_IRQ + i;
		return 0;
	}
	vc->regs = NULL;
	static const char *const ordinal[] = { "", " second", " third" };
	if (legacy) {
		snprintf(why, len,
		         "the virtio console is a legacy device "
		         "(QEMU needs -global "
		         "virtio-mmio.force-legacy=false)");
		return -1;
	}
	snprintf(why, len, "no%s virtio console on the board", ordinal[nth]);
	return 1;
}

/* Queue `index` set up with up to `want` buffers, offered to the device
 * (`in`: it writes them) or on q's free stack: 0, or -1 with why. Before
 * S_DRIVER_OK. */
static int queue_set_up(struct virtio_console *vc, struct queue *q,
                        unsigned index, uint16_t want, int in, char *why,
                        size_t len)
{
	reg_set(vc, REG_QUEUE_SEL, index);
	uint32_t max = reg(vc, REG_QUEUE_NUM_MAX);
	if (max == 0 || reg(vc, REG_QUEUE_READY) != 0) {
		snprintf(why, len, "the device has no queue %u to set up",
		         index);
		return -1;
	}
	q->cur = -1;
	uint16_t size = want;
	while (size > max)
		size /= 2;
	uint64_t ring_phys;
	if (ram(PAGE, &q->ring_mem, &q->ring) != 0 ||
	    phys_of(q->ring_mem, 0, &ring_phys) != 0 ||
	    vq_init(&q->vq, q->ring, size) != 0) {
		snprintf(why, len, "no memory for the queue");
		return -1;
	}
	void *bufs;
	if (ram((size_t)size * PAGE, &q->buf_mem, &bufs) != 0) {
		snprintf(why, len, "no memory for the buffers");
		return -1;
	}
	q->bufs = bufs;
	for (uint16_t i = 0; i < size; i++) {
		if (phys_of(q->buf_mem, (size_t)i * PAGE, &q->buf_phys[i]) !=
		            0 ||
		    (in && vq_offer(&q->vq, i, q->buf_phys[i], PAGE) != 0)) {
			snprintf(why, len, "cannot offer the buffers");
			return -1;
		}
		if (!in)
			q->free_ids[q->free_count++] = (uint16_t)(size - 1 - i);
	}
	reg_set(vc, REG_QUEUE_NUM, size);
	reg_set64(vc, REG_QUEUE_DESC, ring_phys + VQ_DESC_AT);
	reg_set64(vc, REG_QUEUE_DRIVER, ring_phys + VQ_AVAIL_AT);
	reg_set64(vc, REG_QUEUE_DEVICE, ring_phys + VQ_USED_AT);
	reg_set(vc, REG_QUEUE_READY, 1);
	return 0;
}

static void queue_free(struct queue *q)
{
	if (q->bufs) {
		(void)kmem_unmap(q->bufs, (size_t)q->vq.size * PAGE);
		kcap_close(q->buf_mem);
	}
	if (q->ring) {
		(void)kmem_unmap(q->ring, PAGE);
		kcap_close(q->ring_mem);
	}
}

/* Features and the kind's queues (virtio_console.h): 0, or -1 with
 * why. */
static int set_up(struct virtio_console *vc, char *why, size_t len)
{
	int multiport = vc->kind != CONSOLE_IN;
	reg_set(vc, REG_STATUS, 0); /* reset */
	reg_set(vc, REG_STATUS, S_ACKNOWLEDGE);
	reg_set(vc, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER);
	vc->started = 1;
	reg_set(vc, REG_DEV_FEAT_SEL, 1);
	if (!(reg(vc, REG_DEV_FEATURES) & F_VERSION_1_HI)) {
		snprintf(why, len, "the device lacks VIRTIO_F_VERSION_1");
		return -1;
	}
	reg_set(vc, REG_DEV_FEAT_SEL, 0);
	if (multiport && !(reg(vc, REG_DEV_FEATURES) & F_MULTIPORT)) {
		snprintf(why, len,
		         "the device lacks VIRTIO_CONSOLE_F_MULTIPORT");
		return -1;
	}
	reg_set(vc, REG_DRV_FEAT_SEL, 0);
	reg_set(vc, REG_DRV_FEATURES, multiport ? F_MULTIPORT : 0);
	reg_set(vc, REG_DRV_FEAT_SEL, 1);
	reg_set(vc, REG_DRV_FEATURES, F_VERSION_1_HI);
	reg_set(vc, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	if (!(reg(vc, REG_STATUS) & S_FEATURES_OK)) {
		snprintf(why, len, "the device refused the features");
		return -1;
	}
	int rc;
	switch (vc->kind) {
	case CONSOLE_IN:
		rc = queue_set_up(vc, &vc->q, RX_QUEUE, RX_BUFS, 1, why, len);
		break;
	case FRAMES_OUT:
		rc = queue_set_up(vc, &vc->q, TX_QUEUE, TX_BUFS, 0, why, len);
		break;
	default:
		rc = queue_set_up(vc, &vc->q, CTL_RX_QUEUE, CTL_BUFS, 1, why,
		                  len);
		if (rc == 0)
			rc = queue_set_up(vc, &vc->ctl_out, CTL_TX_QUEUE,
			                  CTL_BUFS, 0, why, len);
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
	reg_set(vc, REG_STATUS,
	        S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	if (vc->kind == CONSOLE_IN)
		reg_set(vc, REG_QUEUE_NOTIFY, RX_QUEUE);
	if (vc->kind == PORTS) {
		reg_set(vc, REG_QUEUE_NOTIFY, CTL_RX_QUEUE);
		for (unsigned id = 1; id < VIRTIO_PORTS_MAX; id++)
			reg_set(vc, REG_QUEUE_NOTIFY, PORT_RX_QUEUE(id));
	}
	return 0;
}

/* The device's interrupt on a signal in `ws`: 0, or -1 with why. */
static int bind_irq(struct virtio_console *vc, kwaitset_t *ws, char *why,
                    size_t len)
{
	if (ksignal_source_create(&vc->irq_src, &vc->irq_cap) != 0) {
		vc->irq_src = NULL;
		snprintf(why, len, "no signal for the interrupt");
		return -1;
	}
	int rc = kdevice_irq_bind(vc->irq, vc->irq_cap);
	if (rc == 0)
		vc->irq_bound = 1;
	if (rc == 0)
		rc = kwaitset_add_signal(ws, vc->irq_src, vc);
	if (rc != 0) {
		snprintf(why, len, "cannot take interrupt %u: %s",
		         (unsigned)vc->irq, kerr_str(rc));
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
	int found = find(vc, nth, why, len);
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
	while ((t = vq_take(&q->vq, &id, &got)) == VQ_TAKEN)
		q->free_ids[q->free_count++] = id;
	return t == VQ_BROKEN ? -1 : 0;
}

/* The interrupt seen: the device's status acknowledged first, so that a
 * buffer used after this raises the line again. */
static void ack_device(struct virtio_console *vc)
{
	reg_set(vc, REG_INT_ACK, reg(vc, REG_INT_STATUS));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* A transmit queue: the buffer being filled to the device, and the device told. */
static void offer_current(struct queue *q)
{
	/* cannot fail: the id came off the free stack */
	(void)vq_offer_out(&q->vq, (uint16_t)q->cur, q->buf_phys[q->cur],
	                   q->cur_len);
	q->cur = -1;
}

/* Transmit queue `index`: virtio_console_write's work. */
static long queue_write(struct virtio_console *vc, struct queue *q,
                        unsigned index, const void *data, size_t len)
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
		memcpy(q->bufs + (size_t)q->cur * PAGE + q->cur_len, p + n,
		       take);
		n += take;
		q->cur_len += (uint32_t)take;
		if (q->cur_len == PAGE) {
			offer_current(q);
			offered = 1;
		}
	}
	if (offered)
		reg_set(vc, REG_QUEUE_NOTIFY, index);
	return (long)n;
}

/* Transmit queue `index`: virtio_console_flush's work. */
static int queue_flush(struct virtio_console *vc, struct queue *q,
                       unsigned index)
{
	if (q->cur >= 0 && q->cur_len > 0) {
		offer_current(q);
		reg_set(vc, REG_QUEUE_NOTIFY, index);
	}
	if (reclaim(q) != 0)
		return -1;
	return (int)q->vq.offered;
}

long virtio_console_write(struct virtio_console *vc, const void *data,
                          size_t len)
{
	return queue_write(vc, &vc->q, TX_QUEUE, data, len);
}

int virtio_console_flush(struct virtio_console *vc)
{
	return queue_flush(vc, &vc->q, TX_QUEUE);
}

/* Receive queue `index`: virtio_console_read's work. */
static long queue_read(struct virtio_console *vc, struct queue *q,
                       unsigned index, char *buf, size_t len)
{
	size_t n = 0;
	int offered = 0, acked = 0;
	while (n < len) {
		if (q->cur < 0) {
			uint16_t id;
			uint32_t got;
			enum vq_take t = vq_take(&q->vq, &id, &got);
			if (t == VQ_BROKEN)
				return -1;
			if (t == VQ_EMPTY) {
				if (acked)
					break;
				ack_device(vc);
				acked = 1;
				continue; /* a buffer may have come meanwhile */
			}
			q->cur = id;
			q->cur_len = got;
			q->cur_pos = 0;
		}
		size_t take = q->cur_len - q->cur_pos;
		if (take > len - n)
			take = len - n;
		memcpy(buf + n, q->bufs + (size_t)q->cur * PAGE + q->cur_pos,
		       take);
		n += take;
		q->cur_pos += (uint32_t)take;
		if (q->cur_pos == q->cur_len) {
			/* cannot fail: the id was just given back */
			(void)vq_offer(&q->vq, (uint16_t)q->cur,
			               q->buf_phys[q->cur], PAGE);
			q->cur = -1;
			offered = 1;
		}
	}
	if (offered)
		reg_set(vc, REG_QUEUE_NOTIFY, index);
	if (acked) /* nothing is left that the interrupt announced */
		(void)kdevice_irq_ack(vc->irq_cap);
	return (long)n;
}

long virtio_console_read(struct virtio_console *vc, char *buf, size_t len)
{
	return queue_read(vc, &vc->q, RX_QUEUE, buf, len);
}

/* PORTS: one control message to the device; -1 when the device neither
 * reads them nor broke the queue (all CTL_BUFS with it) or broke it. */
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
	memcpy(q->bufs + (size_t)d * PAGE, &m, sizeof(m));
	/* cannot fail: the id came off the free stack */
	(void)vq_offer_out(&q->vq, d, q->buf_phys[d], sizeof(m));
	reg_set(vc, REG_QUEUE_NOTIFY, CTL_TX_QUEUE);
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
	int offered = 0, acked = 0;
	for (;;) {
		uint16_t id;
		uint32_t got;
		enum vq_take t = vq_take(&vc->q.vq, &id, &got);
		if (t == VQ_BROKEN)
			return -1;
		if (t == VQ_EMPTY) {
			if (acked)
				break;
			ack_device(vc);
			acked = 1;
			continue; /* a message may have come meanwhile */
		}
		int rc = control_take(vc, vc->q.bufs + (size_t)id * PAGE, got,
		                      seen, arg);
		/* cannot fail: the id was just given back */
		(void)vq_offer(&vc->q.vq, id, vc->q.buf_phys[id], PAGE);
		offered = 1;
		if (rc != 0)
			return -1;
	}
	if (offered)
		reg_set(vc, REG_QUEUE_NOTIFY, CTL_RX_QUEUE);
	(void)kdevice_irq_ack(vc->irq_cap);
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
	return queue_read(vc, &vc->port_in[id], PORT_RX_QUEUE(id), buf, len);
}

long virtio_console_port_write(struct virtio_console *vc, unsigned id,
                               const void *data, size_t len)
{
	assert(vc->kind == PORTS && id > 0 && id < VIRTIO_PORTS_MAX);
	struct queue *q = &vc->port_out[id];
	long n = queue_write(vc, q, PORT_RX_QUEUE(id) + 1, data, len);
	if (n < 0 || queue_flush(vc, q, PORT_RX_QUEUE(id) + 1) < 0)
		return -1;
	return n;
}

const char *virtio_console_broken(const struct virtio_console *vc)
{
	if (vc->broken)
		return vc->broken;
	if (vq_broken(&vc->q.vq))
		return vq_broken(&vc->q.vq);
	if (vq_broken(&vc->ctl_out.vq))
		return vq_broken(&vc->ctl_out.vq);
	for (unsigned id = 0; id < VIRTIO_PORTS_MAX; id++) {
		if (vq_broken(&vc->port_in[id].vq))
			return vq_broken(&vc->port_in[id].vq);
		if (vq_broken(&vc->port_out[id].vq))
			return vq_broken(&vc->port_out[id].vq);
	}
	return NULL;
}

void virtio_console_stop(struct virtio_console *vc)
{
	if (!vc)
		return;
	if (vc->started)
		reg_set(vc, REG_STATUS, 0); /* no DMA after a reset */
	if (vc->irq_src) {
		if (vc->irq_bound)
			(void)kdevice_irq_unbind(vc->irq);
		if (vc->ws)
			kwaitset_remove_signal(vc->ws, vc->irq_src);
		ksignal_source_destroy(vc->irq_src);
	}
	queue_free(&vc->q);
	queue_free(&vc->ctl_out);
	for (unsigned id = 0; id < VIRTIO_PORTS_MAX; id++) {
		queue_free(&vc->port_in[id]);
		queue_free(&vc->port_out[id]);
	}
	if (vc->regs_map) {
		(void)kmem_unmap(vc->regs_map, REGS_SIZE);
		kcap_close(vc->regs_mem);
	}
	free(vc);
}
