/*
 * Core's output to the host (the wire format: kernel/riscv/hostframe.h):
 * its frames and, once they go on a virtio console, its own log lines.
 * The Report service's sink (report_frames.c), the domains' life
 * (domain_life.c) and their output (domain_output_ring.c) send frames,
 * console_log.c core's lines; the host tool (kernel/riscv/tool/) turns
 * them into files.
 *
 * Where they go: the board's second virtio console (virtio_console.h)
 * when it has one, all of it in the order core sent it, so a log line
 * and a report reach the host's files in core's order; else the UART,
 * each frame in one SYS_CONSOLE_WRITE, so no other output comes between
 * its bytes, and core's lines through the kernel (SYS_PRINT).
 */
#ifndef CORE_RISCV_HOST_FRAMES_H
#define CORE_RISCV_HOST_FRAMES_H

#include <stddef.h>

/* Takes the board's second virtio console for the output, if there is
 * one (else everything stays on the UART; no line either way); once, at
 * core's start, before anything is sent. */
void host_frames_start(void);

/* Sends frame `kind arg` with `size` bytes of `body`. `kind` and `arg`
 * are core's own words and checked names (no control character, no
 * newline). 0 (sent, or dropped and counted: see host_frames.c), or -1
 * and *why. */
int host_frame_send(const char *kind, const char *arg, const void *body,
                    size_t size, const char **why);

/* Core's own log line (printable, no newline), shown as the kernel shows
 * what core prints, "[core] " and the line: 0 when it went to the
 * virtio console (or was dropped and counted), -1 when there is none
 * (the caller prints it). */
int host_frames_line(const char *line, size_t len);

#endif
