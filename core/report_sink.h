/*
 * Where reports go, the platform's part of the Report service
 * (report_service.h decides what a report is and when it goes; the sink
 * where): on linux the files of DIR/report (core/report_files.c), on
 * riscv frames to the host on the console, which the host tool turns
 * into the same files (core/riscv/report_frames.c,
 * kernel/riscv/hostframe.h). `name` is a checked report file name
 * (report_service.h: no '/', not hidden, no control character).
 */
#ifndef CORE_REPORT_SINK_H
#define CORE_REPORT_SINK_H

#include <stddef.h>

struct target;
struct report_sink;

/* The sink of the target; what an earlier run left is removed. 0 or a
 * KERR_*. */
int report_sink_open(struct target *target, struct report_sink **out);
/* Replaces report `name` with `length` bytes of `data`, whole: a reader
 * sees the old report or the new one, never a part. 0, or -1 and *why. */
int report_sink_write(struct report_sink *sink, const char *name,
                      const void *data, size_t length, const char **why);
/* Report `name` is gone (no session holds it). 0, or -1 and *why. */
int report_sink_remove(struct report_sink *sink, const char *name,
                       const char **why);
void report_sink_close(struct report_sink *sink);

#endif
