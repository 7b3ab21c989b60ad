/*
 * What every frame of the control channel (control.c) shares, whatever
 * its kind: a header line `KIND ARG SIZE CHECK`, then SIZE bytes whose
 * POSIX cksum CRC is CHECK. Each kind has a file of its own (control.c:
 * rom; control_stop.c: stop) that checks its ARG and SIZE and reads its
 * bytes through the channel with control_frame_body(); none of them
 * knows where the bytes come from (the console's UART today): that is
 * control.c's alone.
 */
#ifndef CORE_RISCV_CONTROL_FRAME_H
#define CORE_RISCV_CONTROL_FRAME_H

#include <stdint.h>

struct config_watch; /* the channel (control.c) */

struct control_header {
	const char *kind; /* the words point into the decoded line */
	const char *arg;
	uint64_t size;
	uint32_t check;
};

/* Splits `line` (no newline; its spaces become NULs) into the four
 * words: NULL, or why it is no header (no effects beyond the line). */
const char *control_header_decode(char *line, struct control_header *h);

/* Reads the frame's h->size bytes into `into` (room for as many) and
 * checks them against h->check: NULL, or why not ("truncated: ..." when
 * the bytes stopped coming or the channel ended). */
const char *control_frame_body(struct config_watch *w,
                               const struct control_header *h, uint8_t *into);

/* The next byte of a frame: 1, or 0 when the bytes stopped coming or
 * the channel ended (control.c). */
int control_frame_byte(struct config_watch *w, char *c);

#endif
