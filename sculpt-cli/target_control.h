/*
 * The control channel of a running riscv target (core/riscv/control.c):
 * `sculpt boot --platform qemu-riscv64` makes the fifo
 * TARGET/sculpt/control.in, which the machine reads frames from while it
 * runs, and records its path in TARGET/sculpt/control; a target without
 * that record is a linux one, whose core reads TARGET/config/ itself.
 * sculpt's transactions (deploy.c) push each config they write over it,
 * and init on the target applies it live.
 *
 * The record is hostile input like any file of the target: a path that
 * is not one absolute line, or names no fifo, is refused with the words
 * to act on; a fifo nobody reads (the machine ended) is a target that is
 * not running. Either is found by target_control_open, before anything
 * is written.
 */
#ifndef SCULPT_TARGET_CONTROL_H
#define SCULPT_TARGET_CONTROL_H

#include <limits.h>
#include <stddef.h>

#include "lib/diag.h"

#define TARGET_CONTROL_RECORD "sculpt/control"
#define TARGET_CONTROL_FIFO "sculpt/control.in"

struct target_control {
	int fd; /* the fifo, open for writing; -1: the target has none */
	char fifo[PATH_MAX];
	int stopped; /* target_control_open failed: no machine reads it */
};

/* Makes TARGET/sculpt/control.in a fresh fifo and records its path in
 * TARGET/sculpt/control; the path into fifo. */
int target_control_make(const char *target, char fifo[PATH_MAX],
                        struct sculpt_diag *diag);

/* Whether the target records a control channel (it is a riscv one,
 * running or not). */
int target_control_recorded(const char *target);

/* The channel of the target, open: c->fd -1 when the target records
 * none; an error when the record is bad or no machine reads the fifo
 * (then c->stopped is set). */
int target_control_open(const char *target, struct target_control *c,
                        struct sculpt_diag *diag);

/* Pushes `size` bytes as ROM `name` (control_frame.h), bounded in time;
 * nothing when c->fd is -1. */
int target_control_push(struct target_control *c, const char *name,
                        const void *bytes, size_t size,
                        struct sculpt_diag *diag);

struct control_archive;

/* Pushes the archive frame `frame` of archive `name` (control_frame.h),
 * bounded in time; nothing when c->fd is -1. Whether core took it, it
 * says on its console (target_archives.h). */
int target_control_push_archive(struct target_control *c, const char *name,
                                const struct control_archive *frame,
                                struct sculpt_diag *diag);

void target_control_close(struct target_control *c);

#endif
