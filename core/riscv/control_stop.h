/*
 * The control channel's stop frame (control.c): the host asks core to
 * end cleanly, as SIGTERM asks linux core. A frame is the header
 * `stop core SIZE CHECK` and SIZE bytes of reason (printable text, at
 * most CONTROL_STOP_REASON_MAX, CHECK its POSIX cksum CRC), then a
 * newline; tests/riscv/stop-request writes one.
 */
#ifndef CORE_RISCV_CONTROL_STOP_H
#define CORE_RISCV_CONTROL_STOP_H

#define CONTROL_STOP_REASON_MAX 64

struct config_watch;

/* Whether the header line `line` is a stop frame's (its first word is
 * `stop`); nothing checked beyond that. */
int control_stop_frame(const char *line);

/* Takes the stop frame of header `line` (its spaces become NULs): reads
 * its reason and the newline that ends it, says on one line that core
 * stops, and returns 1; or says why the frame is refused (nothing done:
 * core runs on) and returns -1. */
int control_stop_take(struct config_watch *w, char *line);

#endif
