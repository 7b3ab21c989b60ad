/*
 * What the host makes of the target's console (riscv-console, console.c),
 * in a directory DIR laid out as linux core's target directory
 * (core/README.md, "The target directory"):
 *
 *   DIR/log/FILE.log    each LOG line ("[core] [LABEL] text" on the
 *                       console: "[LABEL] text") in the file of LABEL's
 *                       first element, core's own lines ("[core] text")
 *                       in core.log, named exactly as linux core names
 *                       them ("unnamed" for a first element that is no
 *                       module name); a domain's own output ("[NAME]
 *                       text", through the kernel) in the file of the
 *                       live domain of that NAME; kept at `log_limit` by
 *                       rotation to FILE.log.1 as linux core does
 *   DIR/report/NAME     each report frame, written as `.NAME.tmp` and
 *                       renamed over NAME, modified at the frame's TIME
 *                       after the machine's start (the host's clock when
 *                       the files were opened, as QEMU starts): the time
 *                       between two writes is the guest's, whatever the
 *                       host's clock did meanwhile; an unreport frame
 *                       removes it
 *   DIR/domains         the live domains, one a line: "ID<TAB>NAME<TAB>
 *                       LABEL" (NAME the label's last element, as the
 *                       kernel names the domain), replaced whole on
 *                       every change; empty once the machine ended
 *
 * A frame "log ID" (a domain's stdout and stderr) goes into the log file
 * of the label of live domain ID, each line "[LABEL] (stdout) text", and
 * each line to `on_log_line` (console.c: the terminal, within its limit).
 *
 * Frames are hostile input: a report name that is empty, longer than
 * FRAME_ARG_MAX, hidden (so `.` and `..`) or holds '/', a domain ID told
 * twice or an end of an ID that does not live, more than DOMAINS_MAX
 * live domains, a log frame of an ID that does not live or whose body is
 * not lines each ending in a newline, marked "(stdout) " or "(stderr) ",
 * printable (core/printable.h) and at most LOG_FRAME_LINE_MAX bytes, are
 * refused with a reason and change nothing.
 */
#ifndef RISCV_TOOL_HOST_FILES_H
#define RISCV_TOOL_HOST_FILES_H

#include "console_decode.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DOMAINS_MAX 256u
#define DOMAIN_LABEL_MAX 512u /* more is cut (shown, not matched) */
#define LOG_NAME_MAX 64u      /* TARGET_NAME_MAX of core */
#define LOG_LIMIT_DEFAULT ((uint64_t)16 << 20)

struct live_domain {
	uint64_t id;
	char label[DOMAIN_LABEL_MAX + 1];
	size_t name_at; /* where in label its last element starts */
};

/* A line of a domain's output, "[LABEL] (stdout) text", as it went into
 * the log; `label` is the domain's, `time_ns` its frame's TIME. */
typedef void host_log_line_fn(void *ctx, const char *label, const char *text,
                              size_t len, uint64_t time_ns);

struct host_files {
	int log_fd, report_fd, dir_fd;
	host_log_line_fn *on_log_line; /* NULL: none; set after open */
	void *on_log_line_ctx;
	uint64_t log_limit;    /* 0: no rotation */
	struct timespec start; /* the machine's start, CLOCK_REALTIME */
	struct live_domain domains[DOMAINS_MAX];
	unsigned count;
};

/* Opens DIR (which must exist), makes log/ and report/; removes what an
 * earlier run left in report/ (as linux core does on its start). 0, or
 * -1 with why. */
int host_files_open(struct host_files *f, const char *dir, uint64_t log_limit,
                    char *why, size_t why_size);
void host_files_close(struct host_files *f);

/* The log file of `label` (its first element, as linux core names it):
 * "FIRST.log" or "unnamed.log". */
void host_files_log_file(const char *label, char file[LOG_NAME_MAX + 8]);

/* A text line of the console: into its log file, if it is a log line. */
void host_files_line(struct host_files *f, const char *line, size_t len);
/* A frame: 0, or -1 with why (nothing changed). */
int host_files_frame(struct host_files *f, const struct frame *frame, char *why,
                     size_t why_size);
/* The machine ended: no domain lives any more. */
void host_files_machine_ended(struct host_files *f);

#endif
