/*
 * The control channel of core on riscv: a host pushes ROMs to the running
 * target over a virtio console (virtio_console.c; QEMU's arguments for it
 * are in tests/riscv/qemu-control.sh and kernel/riscv/module.mk), and
 * core serves them from then on, as linux core serves a replaced file of
 * DIR/config/. It takes config_watch.h's place: the ROM service starts
 * it with the signal that makes it rescan its modules, and a push submits
 * that signal, so every session of the ROM gets its own signal exactly as
 * after an inotify event (rom_service_rescan()); init then applies a new
 * init.config live.
 *
 * A frame is a header line `rom NAME SIZE CHECK` and SIZE bytes, CHECK
 * being the POSIX `cksum` CRC of them in decimal (so a host needs nothing
 * but cksum, tests/riscv/push-rom). The input is hostile line noise at
 * best: the header is at most CONTROL_LINE_MAX bytes, NAME a boot module name,
 * SIZE 1..the module limit; the bytes go straight into a fresh memory
 * object, which becomes the ROM only when all came and the check matches.
 * A frame may be a whole binary: init starts a child from a pushed ROM
 * as from a boot module (a host pushes the binary, then the config that
 * names it, as one puts a file into DIR/boot/ on linux first).
 * A refused frame leaves the old ROM in place, says why on one line, and
 * the input is skipped up to the next line that starts a frame.
 *
 * Other kinds of frame live in files of their own, control_<kind>.c,
 * each with a recogniser of its header line and a taker of the frame
 * (control_channel.h is what they see of the channel); `kinds` below
 * lists them, one line each: an `archive` frame brings a whole depot
 * archive (control_archive.h), a `stop` frame asks core to end
 * (control_stop.h), a `usage` frame asks for a report of what the
 * kernel holds for each domain (control_usage.h).
 *
 * Throughput: the channel was the UART's input, read by the kernel
 * (SYS_CONSOLE_READ, retired), ~55 KB/s at best: each byte cost QEMU two
 * register exits and its 16550 moved at most 14 bytes per turn of its
 * main loop. The virtio console moves whole pages by DMA per turn
 * (kernel/riscv/README.md has the figures). Core waits for the device's
 * interrupt on its waitset, and at most POLL_MS, because it must also
 * notice that init ended and that a frame stopped coming.
 * Truncation is judged in guest time, 5 s (PAYLOAD_IDLE_TICKS), which
 * -icount's sleep=off makes ~30 ms of wall-clock time when nothing comes:
 * a host that writes a frame must write it without pauses (the fifo's
 * 64 KiB cover a short stall of its writer).
 *
 * The channel runs on core's main thread (control.h), which has nothing
 * else to do until init ends but read the domains' output between its
 * waits (domain_output_ring.h), not on a thread of its own: the kernel's
 * pool has 16 threads for every domain (kernel/riscv/README.md), and one
 * more in core left the counter demo's last children without theirs.
 */
#include "config_watch.h"
#include "control.h"
#include "control_archive.h"
#include "control_channel.h"
#include "control_stop.h"
#include "control_usage.h"
#include "core_platform.h"
#include "domain_output_ring.h"
#include "pushed_roms.h"
#include "virtio_console.h"

#include "cksum.h"
#include "decimal.h"

#include "sys.h"
#include "../../kernel/riscv/abi.h"

#include <runtime/str.h>

#include <stdlib.h>
#include <string.h>

#define CHUNK       4096 /* bytes taken from the console at once */
/* Without an interrupt the console is read every POLL_MS all the same. */
#define POLL_MS        10
/* A frame whose bytes stop coming for this long is truncated. */
#define PAYLOAD_IDLE_TICKS 500 /* 5 s of the guest's time */
#define PAGE        4096u

struct config_watch {
	kcap_t signal;
	kwaitset_t *idle; /* the console's interrupt only */
	struct virtio_console *console;
	struct semaphore *until; /* taken once init ended: the channel ends */
	int stopped;             /* `until` was taken */
	int broken;              /* the console stopped: the channel ends */
	long last_byte;          /* when the last byte came, in ticks */
	char in[CHUNK];
	size_t in_len, in_pos;
	kevent_t event;
	kmsg_t msg; /* never filled: no endpoint is in `idle` */
};

struct header {
	char name[TARGET_NAME_MAX];
	uint64_t size;
	uint32_t check;
};

static long ticks_now(void)
{
	return sys_call2(SYS_TICKS, 0, 0);
}

/* The next input byte: 1, or 0 once `until` could be taken (init ended),
 * the console broke or, `in_frame`, after PAYLOAD_IDLE_TICKS without a
 * byte. */
static int next_byte(struct config_watch *w, int in_frame, char *c)
{
	while (w->in_pos == w->in_len) {
		if (w->broken)
			return 0;
		if (w->stopped || semaphore_try_down(w->until)) {
			w->stopped = 1;
			return 0;
		}
		long n = virtio_console_read(w->console, w->in, sizeof(w->in));
		long now = ticks_now();
		if (n < 0) {
			control_say(
				"control: the virtio console stopped: %s; the "
				"control channel is off",
				virtio_console_broken(w->console));
			w->broken = 1;
			return 0;
		}
		if (n > 0) {
			w->in_len = (size_t)n;
			w->in_pos = 0;
			w->last_byte = now;
			break;
		}
		if (in_frame && now - w->last_byte >= PAYLOAD_IDLE_TICKS)
			return 0;
		/* the domains' output, while the channel waits */
		(void)domain_output_ring_poll();
		(void)kwaitset_wait(w->idle, &w->event, &w->msg, POLL_MS);
	}
	*c = w->in[w->in_pos++];
	return 1;
}

/* A boot module's name, or config/ and one: a config (boot_modules.c). */
static int name_ok(const char *name)
{
	for (const char *p = name; *p; p++)
		if (*p <= ' ' || *p > '~')
			return 0;
	if (strncmp(name, "config/", 7) == 0)
		name += 7;
	return target_module_name_ok(name);
}

const char *control_payload_size(const char *word, uint64_t *size)
{
	if (decimal_parse(word, strlen(word), 10, UINT64_MAX, size) != 0 ||
	    *size == 0)
		return "SIZE is no decimal of 1.. bytes";
	if (*size > TARGET_MODULE_LIMIT_DEFAULT)
		return "SIZE is over the module limit";
	return NULL;
}

int control_words(char *line, char *words[], unsigned max)
{
	unsigned n = 0;
	for (char *p = line; *p;) {
		if (n == max)
			return -1;
		words[n++] = p;
		char *space = strchr(p, ' ');
		if (!space)
			break;
		*space = '\0';
		p = space + 1;
	}
	return (int)n;
}

/* Whether `line` is the header of a ROM frame. */
static int rom_frame(const char *line)
{
	return strncmp(line, "rom ", 4) == 0;
}

/* Decodes `rom NAME SIZE CHECK` (line has no newline); NULL, or why not. */
static const char *decode_header(char *line, struct header *h)
{
	char *words[4];
	int n = control_words(line, words, 4);
	if (n < 0)
		return "more than four words";
	if (n != 4 || strcmp(words[0], "rom") != 0)
		return "not `rom NAME SIZE CHECK`";
	if (!name_ok(words[1]) || strlen(words[1]) >= sizeof(h->name))
		return "the name is no boot module name";
	str_copy(h->name, words[1], sizeof(h->name));
	const char *why = control_payload_size(words[2], &h->size);
	if (why)
		return why;
	uint64_t check;
	if (decimal_parse(words[3], strlen(words[3]), 10, UINT32_MAX, &check) !=
	    0)
		return "CHECK is no decimal cksum";
	h->check = (uint32_t)check;
	return NULL;
}

int control_read_line(struct config_watch *w, char line[CONTROL_LINE_MAX + 1])
{
	size_t len = 0;
	int too_long = 0;
	char c;
	while (next_byte(w, 0, &c)) {
		if (c == '\n') {
			line[len] = '\0';
			return too_long ? -1 : 1;
		}
		if (c == '\r')
			continue;
		if (len < CONTROL_LINE_MAX)
			line[len++] = c;
		else
			too_long = 1;
	}
	return 0;
}

const char *control_receive(struct config_watch *w, uint64_t size,
                            control_check_fn *check, const void *arg,
                            kcap_t *mem)
{
	size_t mapped = (size_t)((size + PAGE - 1) / PAGE * PAGE);
	void *addr;
	if (kmem_create(mapped, mem) != 0)
		return "core is out of memory";
	if (kmem_map(*mem, 0, mapped, KMEM_READ | KMEM_WRITE, NULL, &addr) !=
	    0) {
		kcap_close(*mem);
		return "core cannot map the memory";
	}
	uint8_t *bytes = addr;
	uint64_t got = 0;
	char c;
	w->last_byte = ticks_now();
	while (got < size && next_byte(w, 1, &c))
		bytes[got++] = (uint8_t)c;
	const char *why = NULL;
	if (w->stopped)
		why = "the channel stopped";
	else if (got < size)
		why = "truncated: the bytes stopped coming";
	else
		why = check(bytes, (size_t)size, arg);
	(void)kmem_unmap(addr, mapped);
	if (!why && kmem_seal_readonly(*mem) != 0)
		why = "core cannot seal the memory";
	if (why)
		kcap_close(*mem);
	return why;
}

int control_read_byte(struct config_watch *w, char *c)
{
	return next_byte(w, 1, c);
}

int control_stopped(const struct config_watch *w)
{
	return w->stopped;
}

void control_rescan(struct config_watch *w)
{
	(void)ksignal_submit(w->signal, 1);
}

/* A ROM frame's check: the POSIX cksum CRC of the bytes. */
static const char *cksum_check(const uint8_t *bytes, size_t size,
                               const void *arg)
{
	const uint32_t *want = arg;
	uint32_t crc = cksum_finish(cksum_update(CKSUM_START, bytes, size),
	                            size);
	return crc == *want ? NULL : "CHECK does not match the bytes";
}

/* A ROM frame from its header on: the ROM replaced and the sessions
 * told, or one line saying why not. 0, or -1 when the input should be
 * skipped up to the next frame. */
static int take_rom(struct config_watch *w, char *line)
{
	struct header h;
	const char *why = decode_header(line, &h);
	if (why) {
		control_say(
			"control: frame refused: %s; input skipped up to the "
			"next frame",
			why);
		return -1;
	}
	kcap_t mem;
	why = control_receive(w, h.size, cksum_check, &h.check, &mem);
	if (w->stopped)
		return 0;
	if (!why && pushed_roms_put(h.name, mem, (size_t)h.size) != 0) {
		kcap_close(mem);
		why = "too many ROMs pushed already";
	}
	if (why) {
		control_say("control: ROM '%s' refused: %s; the old one stays",
		            h.name, why);
		return -1;
	}
	control_say(
		"control: ROM '%s' pushed, %llu bytes; its sessions are told",
		h.name, (unsigned long long)h.size);
	control_rescan(w);
	return 0;
}

/* The kinds of frame: a recogniser of the header line, and what takes
 * the frame from it (0, or -1: refused, the input skipped up to the next
 * line a recogniser claims; 1: core is to stop, the channel ends). */
static const struct frame_kind {
	int (*is)(const char *line);
	int (*take)(struct config_watch *w, char *line);
} kinds[] = {
	{ rom_frame, take_rom },
	{ control_archive_frame, control_archive_take },
	{ control_stop_frame, control_stop_take },
	{ control_usage_frame, control_usage_take },
};

static const struct frame_kind *kind_of(const char *line)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].is(line))
			return &kinds[i];
	return NULL;
}

static enum control_end control_main(struct config_watch *w)
{
	if (kwaitset_create(&w->idle) != 0) {
		control_say("control: no waitset: the control channel is off");
		return CONTROL_FAILED;
	}
	char off[160];
	if (virtio_console_start(&w->console, w->idle, off, sizeof(off)) != 0) {
		control_say("control: %s: the control channel is off", off);
		kwaitset_destroy(w->idle);
		return CONTROL_FAILED;
	}
	enum control_end end = CONTROL_UNTIL;
	int skipping = 0; /* after a refusal: up to a frame's header */
	for (;;) {
		char line[CONTROL_LINE_MAX + 1];
		int got = control_read_line(w, line);
		if (got == 0)
			break;
		const struct frame_kind *kind = got > 0 ? kind_of(line) : NULL;
		if (skipping && !kind)
			continue;
		if (got > 0 && line[0] == '\0')
			continue; /* blank lines between frames */
		if (!kind) {
			control_say(
				"control: frame refused: %s; input skipped up to the "
				"next frame",
				got < 0 ? "the header line is too long"
					: "no frame starts with this line");
			skipping = 1;
			continue;
		}
		int taken = kind->take(w, line);
		if (taken > 0) {
			end = CONTROL_STOP_REQUESTED;
			break;
		}
		skipping = taken < 0;
		if (w->stopped)
			break;
	}
	virtio_console_stop(w->console);
	kwaitset_destroy(w->idle);
	return end;
}

int config_watch_start(struct config_watch **out, const char *dir,
                       kcap_t signal)
{
	(void)dir; /* there is no config/: pushes stand in for its files */
	struct config_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return KERR_NOMEM;
	int rc = kcap_copy(signal, &w->signal);
	if (rc != 0) {
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

/* With the channel off (no virtio console, or it broke) core still reads
 * the domains' output until `until` can be taken (domain_output_ring.h):
 * a domain whose ring is full waits for that read. Sleeps POLL_MS at a
 * time on an empty waitset. */
static void wait_reading_output(struct semaphore *until)
{
	kwaitset_t *ws;
	kevent_t event;
	kmsg_t msg;
	if (kwaitset_create(&ws) != 0) {
		control_say("control: no waitset: the domains' output is not "
		            "read until init ends");
		semaphore_down(until);
		return;
	}
	while (!semaphore_try_down(until)) {
		(void)domain_output_ring_poll();
		(void)kwaitset_wait(ws, &event, &msg, POLL_MS);
	}
	kwaitset_destroy(ws);
}

enum control_end control_serve(struct config_watch *w, struct semaphore *until)
{
	if (!w) {
		wait_reading_output(until);
		return CONTROL_UNTIL;
	}
	w->until = until;
	enum control_end end = control_main(w);
	if (end != CONTROL_STOP_REQUESTED && !w->stopped)
		wait_reading_output(until); /* the channel failed or broke */
	return end == CONTROL_STOP_REQUESTED ? end : CONTROL_UNTIL;
}

void config_watch_stop(struct config_watch *w)
{
	if (!w)
		return;
	kcap_close(w->signal);
	free(w);
}
