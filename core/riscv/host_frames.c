/*
 * Core's output to the host (host_frames.h): the header made here, the
 * body sent from where it lies (a report's dataspace).
 *
 * On the virtio console the bytes are copied into its transmit buffers
 * (virtio_console_write), a frame or a line at a time under one lock, so
 * core's two threads (the entrypoint's reports and domains, the main
 * thread's domain output and control lines) never mix their bytes. The
 * host may stop reading (a riscv-console that died, a host that holds
 * QEMU's fifo full); core never waits for it for ever:
 *   - a send waits for buffers the device gives back at most
 *     TX_WAIT_TICKS without progress, busy (not sleeping: under QEMU's
 *     -icount sleep=off an idle guest's clock jumps ahead of the host's,
 *     so a sleeping wait would give up at once; a busy one counts guest
 *     instructions, about the host's time; spent in a loop of plain
 *     instructions, since a system call costs QEMU far more time than its
 *     instructions' worth, with a yield between, so the other threads of
 *     core's level run), then
 *   - the output is stalled (said on the UART, where a person looks when
 *     the host's files stop changing): until the device gives a buffer
 *     back, every send takes only what fits at once and drops the rest,
 *     counting each frame and line it cut or dropped. A frame whose body
 *     was cut still owes the host its bytes: they are paid first, as
 *     zeros (the host refuses the frame: its check differs, and reads
 *     the next one in step; a cut header or line is ended by a newline),
 *     then a line says how many frames and lines were lost.
 * The UART path (SYS_CONSOLE_WRITE) is bounded by OpenSBI and QEMU's
 * 16550, which drops a byte the host does not take after a few retries.
 * A device that breaks its queue sends the rest to the UART, with a line
 * saying why.
 *
 * Global with a reason: one output per machine, which core's threads and
 * the hooks of a domain's life (which have no context) share.
 */
#include "host_frames.h"

#include "core_platform.h"
#include "virtio_console.h"

#include "cksum.h"
#include "sys.h"
#include "../../kernel/riscv/abi.h"
#include "../../kernel/riscv/hostframe.h"

#include <runtime/clock.h>
#include <runtime/lock.h>
#include <runtime/str.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a send waits for the host without progress: 1 s of guest
 * time spent busy, 1e9 instructions, which QEMU's TCG takes seconds of
 * the host's time to run (~10 s at a load of 10, measured; fewer on an
 * idle machine): QEMU's speed is the only clock that runs while the guest
 * waits busy. */
#define TX_WAIT_TICKS 100
#define WAIT_STEP_LOOPS 200000u
#define CORE_PREFIX   "[core] "

static struct {
	struct lock lock;          /* all below */
	struct virtio_console *vc; /* NULL: the UART */
	int stalled;               /* a wait ran out: sends do not wait */
	uint64_t owed;             /* bytes of a cut frame not yet sent */
	int line_open;             /* a line was cut: a newline ends it */
	unsigned long lost;        /* frames and lines cut or dropped */
	const char *broke;         /* the device broke: why, to be said */
	int stall_news;            /* the stall is to be said */
} out = { .lock = LOCK_INIT };

static long ticks_now(void)
{
	return sys_call2(SYS_TICKS, 0, 0);
}

/* One step of a busy wait: about a millisecond of guest time, then a
 * yield. */
static void wait_a_little(void)
{
	for (volatile unsigned i = 0; i < WAIT_STEP_LOOPS; i++)
		;
	sys_call2(SYS_YIELD, 0, 0);
}

/* Under the lock: the device broke its queue; the UART from now on. */
static int device_broke(void)
{
	out.broke = virtio_console_broken(out.vc);
	virtio_console_stop(out.vc);
	out.vc = NULL;
	return -1;
}

/* Under the lock: `len` bytes into the transmit queue, waiting (unless
 * stalled) at most TX_WAIT_TICKS without progress. How many went: less
 * than `len` when the host stopped reading, -1 when the device broke. */
static long put(const void *data, size_t len)
{
	const char *p = data;
	size_t sent = 0;
	long since = -1;
	while (sent < len) {
		long n = virtio_console_write(out.vc, p + sent, len - sent);
		if (n < 0)
			return device_broke();
		if (n > 0) { /* the host reads (again) */
			sent += (size_t)n;
			since = -1;
			out.stalled = 0;
			continue;
		}
		if (out.stalled)
			break;
		long now = ticks_now();
		if (since < 0) {
			since = now;
		} else if (now - since >= TX_WAIT_TICKS) {
			out.stalled = 1;
			out.stall_news = 1;
			break;
		}
		wait_a_little();
	}
	return (long)sent;
}

/* Under the lock: whether what was cut is paid and the loss told, so a
 * send may begin (a stalled output that takes bytes again waits again,
 * put()). */
static int caught_up(void)
{
	static const char zeros[256];
	while (out.owed > 0) {
		size_t n = out.owed < sizeof(zeros) ? (size_t)out.owed
		                                    : sizeof(zeros);
		long sent = put(zeros, n);
		if (sent < 0)
			return 0;
		out.owed -= (uint64_t)sent;
		if ((size_t)sent < n)
			return 0;
	}
	if (out.lost == 0)
		return 1;
	char note[200];
	int len = str_format(note, sizeof(note),
	                     "%s" CORE_PREFIX "%lu frames and lines to the "
	                     "host lost: the host read nothing for %d ms of "
	                     "busy guest time\n",
	                     out.line_open ? "\n" : "", out.lost,
	                     TX_WAIT_TICKS * 10);
	long sent = put(note, (size_t)len);
	if (sent < 0)
		return 0;
	if ((size_t)sent < (size_t)len) {
		out.line_open = 1; /* a cut note: it is told again */
		return 0;
	}
	out.line_open = 0;
	out.lost = 0;
	return 1;
}

/* Under the lock: one frame or line, in pieces; 0, or -1 when the device
 * broke. `owes`: a cut frame owes the host its rest (a line does not:
 * the next newline ends it). */
static int send_pieces(const void *const pieces[], const size_t lens[],
                       unsigned count, int owes)
{
	if (!caught_up()) {
		out.lost++;
		return out.vc ? 0 : -1;
	}
	for (unsigned i = 0; i < count; i++) {
		long sent = put(pieces[i], lens[i]);
		if (sent < 0)
			return -1;
		if ((size_t)sent == lens[i])
			continue;
		out.lost++;
		if (owes && i > 0) {
			/* the body's rest, which the host counts on */
			out.owed = lens[i] - (size_t)sent;
			for (unsigned j = i + 1; j < count; j++)
				out.owed += lens[j];
		} else if (sent > 0 || i > 0) {
			/* a line, or a frame's header: a newline ends it (the
			 * host refuses the header, and expects no body) */
			out.line_open = 1;
		}
		return 0;
	}
	return virtio_console_flush(out.vc) < 0 ? device_broke() : 0;
}

/* Under the lock, then after it: what happened to the output, said on
 * the UART (core's stdout, through the kernel), where the rest goes
 * when the device broke, and where a person sees a stall. */
struct news {
	const char *broke;
	int stalled;
};

static struct news take_news(void)
{
	struct news n = { out.broke, out.stall_news };
	out.broke = NULL;
	out.stall_news = 0;
	return n;
}

static void say(struct news n)
{
	if (n.broke)
		target_logf(NULL,
		            "host frames: the virtio console stopped: %s; "
		            "frames go on the UART from here on",
		            n.broke);
	if (n.stalled)
		printf("host frames: the host read nothing for %d ms of busy "
		       "guest time: what core sends it is dropped and counted "
		       "until it reads again\n",
		       TX_WAIT_TICKS * 10);
}

/* At core's exit: what the device still holds goes out before QEMU ends
 * with core, within the wait's bound. */
static void drain(void)
{
	lock_acquire(&out.lock);
	long since = ticks_now();
	while (out.vc && !out.stalled) {
		int held = virtio_console_flush(out.vc);
		if (held <= 0 || ticks_now() - since >= TX_WAIT_TICKS)
			break;
		wait_a_little();
	}
	lock_release(&out.lock);
}

void host_frames_start(void)
{
	char why[160];
	struct virtio_console *vc;
	if (virtio_console_start_output(&vc, why, sizeof(why)) != 0)
		return; /* the UART, as on a board without the channel */
	lock_acquire(&out.lock);
	out.vc = vc;
	lock_release(&out.lock);
	atexit(drain);
}

/* Whether `s` may stand in a header: printable, no newline. */
static int header_text_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int host_frame_send(const char *kind, const char *arg, const void *body,
                    size_t size, const char **why)
{
	char header[FRAME_HEADER_MAX + 1];
	if (size > FRAME_BODY_MAX) {
		*why = "larger than a frame may be";
		return -1;
	}
	if (!header_text_ok(kind) || !header_text_ok(arg) ||
	    strlen(arg) > FRAME_ARG_MAX) {
		*why = "a name that no frame can carry";
		return -1;
	}
	uint32_t check = cksum_finish(cksum_update(CKSUM_START, body, size),
	                              size);
	/* when core sends it, which is when a report is written: the host
	 * dates the report's file by it (hostframe.h) */
	uint64_t now = clock_now_ns();
	int len = str_format(header, sizeof(header), "\n%c%s %llu %s %zu %lu\n",
	                     FRAME_MARK, kind, (unsigned long long)now, arg,
	                     size, (unsigned long)check);
	if (len < 0) {
		*why = "a header too long";
		return -1;
	}
	lock_acquire(&out.lock);
	int rc = -1;
	if (out.vc) {
		const void *pieces[] = { header, body };
		const size_t lens[] = { (size_t)len, size };
		rc = send_pieces(pieces, lens, 2, 1);
	}
	struct news news = take_news();
	lock_release(&out.lock);
	say(news);
	if (rc == 0)
		return 0;
	long sent = sys_call4(SYS_CONSOLE_WRITE, (long)header, len, (long)body,
	                      (long)size);
	if (sent != (long)((size_t)len + size)) {
		*why = "the kernel refused the console write";
		return -1;
	}
	return 0;
}

int host_frames_line(const char *line, size_t len)
{
	lock_acquire(&out.lock);
	int rc = -1;
	if (out.vc) {
		const void *pieces[] = { CORE_PREFIX, line, "\n" };
		const size_t lens[] = { sizeof(CORE_PREFIX) - 1, len, 1 };
		rc = send_pieces(pieces, lens, 3, 0);
	}
	struct news news = take_news();
	lock_release(&out.lock);
	say(news);
	return rc;
}
