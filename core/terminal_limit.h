/*
 * How much of the log reaches core's terminal (core/README.md, "The
 * terminal under a flood"). The log files take every line (bounded on
 * disk by rotation, target.h); the terminal, core's standard output, takes
 * at most `per_label` lines of one label and `total` lines of all labels
 * in each window of `window_ns`. The lines beyond are counted per label,
 * and when the window ends the caller is told, per label, how many were
 * dropped, so that it can say so on the terminal.
 *
 * At most TERMINAL_LIMIT_LABELS labels are counted apart in one window;
 * lines of further labels share one count (label NULL in the note), so the
 * state is bounded whatever the labels. Not thread-safe: target_log calls
 * it under the log lock.
 */
#ifndef CORE_TERMINAL_LIMIT_H
#define CORE_TERMINAL_LIMIT_H

#include <runtime/session_args.h>

#include <stdint.h>

#define TERMINAL_LIMIT_LABELS 64
#define TERMINAL_LIMIT_WINDOW_NS 1000000000LL
#define TERMINAL_LIMIT_PER_LABEL_DEFAULT 50u
#define TERMINAL_LIMIT_TOTAL_DEFAULT 200u

struct terminal_count {
	char label[SESSION_LABEL_MAX];
	unsigned shown, dropped;
};

struct terminal_limit {
	int64_t window_ns, window_start;
	unsigned per_label, total; /* 0: no limit */
	unsigned shown;            /* lines of all labels this window */
	unsigned used;             /* counts[0..used) hold labels */
	struct terminal_count counts[TERMINAL_LIMIT_LABELS];
	struct terminal_count others; /* labels beyond the table */
};

/* Told, at the end of a window, of `dropped` lines of `label` (NULL: of
 * labels beyond the table). */
typedef void (*terminal_drop_fn)(void *ctx, const char *label,
                                 unsigned dropped);

void terminal_limit_init(struct terminal_limit *l, unsigned per_label,
                         unsigned total);

/* Whether a line of `label` at time now_ns (monotonic) may go to the
 * terminal: 1, or 0 and the line is counted as dropped. When now_ns is
 * past the current window, first reports the window's drops to `drop`
 * and begins a new window. */
int terminal_limit_admit(struct terminal_limit *l, const char *label,
                         int64_t now_ns, terminal_drop_fn drop, void *ctx);

/* The note of `dropped` lines of `label` (NULL: of labels beyond the
 * table) whose log file is log/`log_file`, as both platforms show it
 * (core/target.c; riscv-console on the host). */
void terminal_limit_note(char *out, size_t size, const char *label,
                         const char *log_file, unsigned dropped);

/* Reports the drops of the current window and begins a new one (core's
 * shutdown: nothing dropped goes unmentioned). */
void terminal_limit_flush(struct terminal_limit *l, int64_t now_ns,
                          terminal_drop_fn drop, void *ctx);

#endif
