/*
 * The decoder of QEMU's console output on the host (riscv-console,
 * console.c): it splits the bytes into text lines and the frames core
 * sends (format: kernel/riscv/hostframe.h), checks every frame (header
 * words, size, CHECK) and hands each on as an event. No I/O and no
 * effects: host_files.c acts on the events. Every byte is handled in
 * constant time; what it holds is bounded (a line of CONSOLE_LINE_MAX,
 * a header of FRAME_HEADER_MAX, a body of FRAME_BODY_MAX).
 *
 * Hostile or broken input (the console is also where anything a domain
 * prints goes): a header that is too long, not five words, of an unknown
 * kind, with a time, size or check that is no decimal or too large, a body
 * whose check differs, a frame the input ends in, are each refused with
 * one reason (the `refused` event) and skipped: the decoder goes on with
 * text after the header line (or after the body, when the header was
 * good). Carriage returns are taken away as OpenSBI put them on the
 * UART: one '\r' before each '\n', in text and bodies alike; text drops
 * every other '\r' too (what `tr -d '\r'` did). A decoder of the frames'
 * virtio console (`raw`: no firmware between core and QEMU there) keeps
 * a body's every byte.
 */
#ifndef RISCV_TOOL_CONSOLE_DECODE_H
#define RISCV_TOOL_CONSOLE_DECODE_H

#include "../hostframe.h"

#include <stddef.h>
#include <stdint.h>

/* A longer line is handed on in pieces of this many bytes. */
#define CONSOLE_LINE_MAX 4096u

enum frame_kind {
	FRAME_REPORT,
	FRAME_UNREPORT,
	FRAME_DOMAIN,
	FRAME_ENDED,
	FRAME_LOG
};

struct frame {
	enum frame_kind kind;
	const char *arg;  /* printable, 1..FRAME_ARG_MAX bytes */
	uint64_t id;      /* FRAME_DOMAIN, FRAME_ENDED, FRAME_LOG: 1.. */
	uint64_t time_ns; /* the guest's clock at the send: 0..FRAME_TIME_MAX */
	const unsigned char *body; /* `size` bytes, CHECK verified */
	size_t size;
};

struct console_events {
	/* A text line without its newline, NUL-terminated. */
	void (*line)(void *ctx, const char *line, size_t len);
	void (*frame)(void *ctx, const struct frame *frame);
	/* A frame refused, and why (one line, no newline). */
	void (*refused)(void *ctx, const char *why);
	void *ctx;
};

enum decode_state { IN_TEXT, IN_HEADER, IN_BODY };

struct console_decoder {
	struct console_events events;
	enum decode_state state;
	int raw;        /* set after init: the stream has no '\r' added */
	int cr_pending; /* a '\r' waits for the byte after it */
	int nl_pending; /* an empty line waits: a FRAME_MARK after it is a
	                 * frame (its newline was the frame's) */
	int line_start; /* no text since the last newline */
	char line[CONSOLE_LINE_MAX + 1];
	size_t line_len;
	char header[FRAME_HEADER_MAX + 1];
	size_t header_len;
	int header_over; /* longer than FRAME_HEADER_MAX: refused at '\n' */
	enum frame_kind kind;
	char arg[FRAME_ARG_MAX + 1];
	uint64_t id, time_ns;
	uint32_t check;
	size_t size, body_len;
	unsigned char body[FRAME_BODY_MAX];
};

/* The decoder is large (a body's worth): allocate it. */
void console_decoder_init(struct console_decoder *d,
                          const struct console_events *events);
void console_decode(struct console_decoder *d, const void *data, size_t len);
/* The input ended: the last line is handed on, a frame cut short is
 * refused. */
void console_decode_end(struct console_decoder *d);

#endif
