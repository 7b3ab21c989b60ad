/*
 * The control channel (control.c) as the file of a frame kind sees it
 * (control_<kind>.c): control.c reads each header line and hands the
 * frame to the kind whose recogniser claims the line; the kind reads the
 * rest of its frame through these calls, so the input, its bounds and its
 * timing stay control.c's alone.
 */
#ifndef CORE_RISCV_CONTROL_CHANNEL_H
#define CORE_RISCV_CONTROL_CHANNEL_H

#include "core_platform.h"

#include <kernel/kernel.h>

#include <stddef.h>
#include <stdint.h>

struct config_watch;

/* The longest header line a frame may have (an archive's: its name is up
 * to 324 bytes). */
#define CONTROL_LINE_MAX 400

/* Core's log lines (target_logf ignores its target: the console). */
#define control_say(...) target_logf(NULL, __VA_ARGS__)

/* Reads a line of at most CONTROL_LINE_MAX bytes, '\r' dropped: 1 with
 * the line (no newline), -1 for one too long (read to its end), 0 when
 * the channel stopped (control_stopped). */
int control_read_line(struct config_watch *w, char line[CONTROL_LINE_MAX + 1]);

/* Splits `line` at each space into at most `max` words (the spaces
 * become NULs): how many, or -1 when there are more. */
int control_words(char *line, char *words[], unsigned max);

/* A frame's SIZE word: a decimal of 1 up to the module limit
 * (TARGET_MODULE_LIMIT_DEFAULT) into `size`; NULL, or why not. */
const char *control_payload_size(const char *word, uint64_t *size);

/* Judges a payload's bytes once all came: NULL, or why they are refused
 * (a static text). */
typedef const char *control_check_fn(const uint8_t *bytes, size_t size,
                                     const void *arg);

/* Receives the next `size` bytes (1..) into a new memory object, which
 * `check` judges and which is sealed read-only: NULL with *mem, or why
 * not (then nothing is kept). Also fails when the channel stopped. */
const char *control_receive(struct config_watch *w, uint64_t size,
                            control_check_fn *check, const void *arg,
                            kcap_t *mem);

/* The frame's next byte: 1, or 0 when the bytes stopped coming (as in
 * control_receive) or the channel stopped. For payloads too small for a
 * memory object of their own (a stop frame's reason). */
int control_read_byte(struct config_watch *w, char *c);

/* Whether the channel stopped (init ended): a frame then ends at once. */
int control_stopped(const struct config_watch *w);

/* Submits the ROM service's rescan signal: every session of a ROM that
 * changed is told, and every depot index with sessions is made anew. */
void control_rescan(struct config_watch *w);

#endif
