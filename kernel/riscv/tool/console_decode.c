/*
 * The console decoder (console_decode.h): three stages per byte. First
 * the carriage return OpenSBI put before a newline goes; then, in text, a
 * line goes out at its newline, and a FRAME_MARK at the start of a line
 * starts a frame (an empty line waits for the next byte: it may be the
 * frame's own newline); a header line is parsed once whole,
 * and a body is taken by its size, then checked.
 */
#include "console_decode.h"

#include "cksum.h"
#include "decimal.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {
	[FRAME_REPORT] = "report", [FRAME_UNREPORT] = "unreport",
	[FRAME_DOMAIN] = "domain", [FRAME_ENDED] = "ended",
	[FRAME_LOG] = "log",
};

void console_decoder_init(struct console_decoder *d,
                          const struct console_events *events)
{
	memset(d, 0, offsetof(struct console_decoder, body));
	d->events = *events;
	d->state = IN_TEXT;
	d->line_start = 1;
}

/* "frame refused: WHAT[: WHY]" as the refused event. */
static void refuse(struct console_decoder *d, const char *what, const char *why)
{
	char text[FRAME_HEADER_MAX + 100];
	snprintf(text, sizeof(text), "frame refused: %s%s%s", what,
	         why ? ": " : "", why ? why : "");
	d->events.refused(d->events.ctx, text);
}

/* --- text -------------------------------------------------------------- */

static void emit_line(struct console_decoder *d)
{
	d->line[d->line_len] = '\0';
	d->events.line(d->events.ctx, d->line, d->line_len);
	d->line_len = 0;
}

static void start_header(struct console_decoder *d)
{
	d->state = IN_HEADER;
	d->header_len = 0;
	d->header_over = 0;
}

/* A line goes out as soon as its newline comes (a harness waits for it:
 * holding it until the next byte held the machine's last line back for
 * as long as the machine said nothing more). Only an empty line waits
 * for the next byte, since a frame's own newline ("\n" FRAME_MARK, which
 * ends an open line) would otherwise show as one. */
static void text_byte(struct console_decoder *d, char c)
{
	if (d->nl_pending) {
		d->nl_pending = 0;
		if (c == FRAME_MARK) {
			start_header(d);
			return;
		}
		emit_line(d);
	}
	if (c == FRAME_MARK && d->line_start) {
		start_header(d);
		return;
	}
	if (c == '\n') {
		if (d->line_len == 0)
			d->nl_pending = 1;
		else
			emit_line(d);
		d->line_start = 1;
		return;
	}
	if (c == '\r')
		return;
	d->line_start = 0;
	if (d->line_len == CONSOLE_LINE_MAX)
		emit_line(d);
	d->line[d->line_len++] = c;
}

/* --- header ------------------------------------------------------------ */

static int printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int kind_of(const char *word, size_t len, enum frame_kind *kind)
{
	for (size_t k = 0; k < sizeof(kind_names) / sizeof(*kind_names); k++)
		if (strlen(kind_names[k]) == len &&
		    memcmp(kind_names[k], word, len) == 0) {
			*kind = (enum frame_kind)k;
			return 0;
		}
	return -1;
}

/* The last ' ' of h[0..len), or NULL. */
static char *last_space(char *h, size_t len)
{
	while (len > 0)
		if (h[--len] == ' ')
			return h + len;
	return NULL;
}

/* "KIND TIME ARG SIZE CHECK" (ARG may hold spaces: TIME is the second
 * word, SIZE and CHECK are the last two) into the decoder's frame fields;
 * NULL or why not. */
static const char *parse_header(struct console_decoder *d)
{
	char *h = d->header;
	size_t len = d->header_len;
	char *first = memchr(h, ' ', len);
	char *last = last_space(h, len);
	if (!first || last == first)
		return "not five words";
	char *time_end = memchr(first + 1, ' ', (size_t)(last - first - 1));
	char *size_at = last_space(h, (size_t)(last - h));
	if (!time_end || size_at <= time_end)
		return "not five words";
	uint64_t time, size, check;
	if (kind_of(h, (size_t)(first - h), &d->kind) != 0)
		return "an unknown kind";
	if (decimal_parse(first + 1, (size_t)(time_end - first - 1), 19,
	                  FRAME_TIME_MAX, &time) != 0)
		return "a time that is no decimal up to FRAME_TIME_MAX";
	if (decimal_parse(size_at + 1, (size_t)(last - size_at - 1), 7,
	                  FRAME_BODY_MAX, &size) != 0)
		return "a size that is no decimal up to FRAME_BODY_MAX";
	if (decimal_parse(last + 1, len - (size_t)(last - h) - 1, 10,
	                  UINT32_MAX, &check) != 0)
		return "a check that is no 32-bit decimal";
	size_t arg_len = (size_t)(size_at - time_end - 1);
	if (arg_len == 0 || arg_len > FRAME_ARG_MAX ||
	    !printable(time_end + 1, arg_len))
		return "an empty, overlong or unprintable name";
	memcpy(d->arg, time_end + 1, arg_len);
	d->arg[arg_len] = '\0';
	d->id = 0;
	if ((d->kind == FRAME_DOMAIN || d->kind == FRAME_ENDED ||
	     d->kind == FRAME_LOG) &&
	    (decimal_parse(d->arg, arg_len, 19, UINT64_MAX, &d->id) != 0 ||
	     d->id == 0))
		return "a domain ID that is no decimal from 1";
	if ((d->kind == FRAME_UNREPORT || d->kind == FRAME_ENDED) && size)
		return "a body where none belongs";
	d->time_ns = time;
	d->size = (size_t)size;
	d->check = (uint32_t)check;
	return NULL;
}

static void finish_frame(struct console_decoder *d)
{
	d->state = IN_TEXT;
	uint32_t crc = cksum_finish(cksum_update(CKSUM_START, d->body, d->size),
	                            d->size);
	if (crc != d->check) {
		refuse(d, d->arg, "its check differs");
		return;
	}
	struct frame f = {
		.kind = d->kind,
		.arg = d->arg,
		.id = d->id,
		.time_ns = d->time_ns,
		.body = d->body,
		.size = d->size,
	};
	d->events.frame(d->events.ctx, &f);
}

static void header_byte(struct console_decoder *d, char c)
{
	if (c != '\n') {
		if (d->header_len < FRAME_HEADER_MAX)
			d->header[d->header_len++] = c;
		else
			d->header_over = 1;
		return;
	}
	d->header[d->header_len] = '\0';
	const char *why = d->header_over ? "a header too long"
	                                 : parse_header(d);
	if (why) {
		d->state = IN_TEXT;
		refuse(d, why, NULL);
		return;
	}
	d->body_len = 0;
	d->state = IN_BODY;
	if (d->size == 0)
		finish_frame(d);
}

/* --- all --------------------------------------------------------------- */

static void dispatch(struct console_decoder *d, char c)
{
	switch (d->state) {
	case IN_TEXT:
		text_byte(d, c);
		break;
	case IN_HEADER:
		header_byte(d, c);
		break;
	case IN_BODY:
		d->body[d->body_len++] = (unsigned char)c;
		if (d->body_len == d->size)
			finish_frame(d);
		break;
	}
}

void console_decode(struct console_decoder *d, const void *data, size_t len)
{
	const char *p = data;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (d->raw) {
			dispatch(d, c);
			continue;
		}
		if (d->cr_pending) {
			d->cr_pending = 0;
			if (c != '\n')
				dispatch(d, '\r');
		}
		if (c == '\r')
			d->cr_pending = 1;
		else
			dispatch(d, c);
	}
}

void console_decode_end(struct console_decoder *d)
{
	if (d->cr_pending)
		dispatch(d, '\r');
	d->cr_pending = 0;
	switch (d->state) {
	case IN_TEXT:
		if (d->nl_pending || d->line_len)
			emit_line(d);
		d->nl_pending = 0;
		break;
	case IN_HEADER:
		refuse(d, "the input ended in its header", NULL);
		break;
	case IN_BODY:
		refuse(d, d->arg, "the input ended in its body");
		break;
	}
	d->state = IN_TEXT;
}
