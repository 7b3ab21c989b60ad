/*
 * Core's frames to the host on the console's output (the wire format:
 * kernel/riscv/hostframe.h): each frame in one SYS_CONSOLE_WRITE, so no
 * other output comes between its bytes. The Report service's sink
 * (report_frames.c) and the domains' life (domain_life.c) send them; the
 * host tool (kernel/riscv/tool/) turns them into files.
 */
#ifndef CORE_RISCV_HOST_FRAMES_H
#define CORE_RISCV_HOST_FRAMES_H

#include <stddef.h>

/* Sends frame `kind arg` with `size` bytes of `body`. `kind` and `arg`
 * are core's own words and checked names (no control character, no
 * newline). 0, or -1 and *why. */
int host_frame_send(const char *kind, const char *arg, const void *body,
                    size_t size, const char **why);

#endif
