/*
 * riscv-console: the host's end of the console of a riscv machine under
 * QEMU (kernel/riscv/hostframe.h). Reads QEMU's console output on stdin
 * and writes
 *   - the text, carriage returns removed, on stdout, a line at a time
 *     (the scenario harness's $T/out), with a line
 *     "[host] frame refused: WHY" for each bad frame, which is skipped;
 *     of the log lines (core's own, LOG lines, the domains' output of
 *     "log" frames), as many as linux core shows: its terminal's rate
 *     limit (core/terminal_limit.h, by the host's clock) drops the rest,
 *     and a "[core] N lines of LABEL dropped ..." note says so;
 *   - in DIR, as linux core writes its target directory: log/FILE.log
 *     (every log line), report/NAME and the live domains in DIR/domains
 *     (host_files.h).
 * It ends with its input (QEMU's end), so it is bounded in time by
 * QEMU's; what it holds is bounded by the decoder's limits. SIGINT and
 * SIGTERM are ignored: a terminal's Ctrl-C or a harness's SIGTERM to
 * everything of the machine ends QEMU, and this tool then still takes
 * QEMU's last output and empties the list of live domains.
 *
 *   riscv-console [--log-limit SIZE] [--linux-lines] DIR < console > text
 *
 * --log-limit is linux core's: a log file is kept as FILE.log.1 once it
 * holds SIZE ("256K", "16M", bytes; 0: never), 16M if not given.
 *
 * --linux-lines shows a LOG line as linux core does, "[LABEL] text",
 * without the "[core] " the kernel puts before everything core prints
 * (core's own lines keep theirs: "[core] text", as on linux), so that
 * the scenario files' patterns (`^\[init\] ...`) read both platforms.
 */
#include "console_decode.h"
#include "host_files.h"
#include "terminal_limit.h"

#include <runtime/arg_string.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct console {
	struct console_decoder decoder; /* first: the large part */
	struct host_files files;
	struct terminal_limit limit;
	int linux_lines;
	const char *newline; /* "\r\n" to a terminal: QEMU made it raw */
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void show(struct console *c, const char *text, size_t len)
{
	fwrite(text, 1, len, stdout);
	fputs(c->newline, stdout);
	fflush(stdout);
}

/* The terminal limit's note, a line of core's own as on linux: on the
 * terminal and in log/core.log. */
static void note_dropped(void *ctx, const char *label, unsigned dropped)
{
	struct console *c = ctx;
	char file[LOG_NAME_MAX + 8] = "", note[DOMAIN_LABEL_MAX + 200];
	if (label)
		host_files_log_file(label, file);
	int len = snprintf(note, sizeof(note), "[core] ");
	terminal_limit_note(note + len, sizeof(note) - (size_t)len, label, file,
	                    dropped);
	show(c, note, strlen(note));
	host_files_line(&c->files, note, strlen(note));
}

/* A log line of `label`, shown if the terminal's limit admits it. */
static void show_limited(struct console *c, const char *label, const char *text,
                         size_t len)
{
	if (terminal_limit_admit(&c->limit, label, now_ns(), note_dropped, c))
		show(c, text, len);
}

static void on_log_line(void *ctx, const char *label, const char *text,
                        size_t len)
{
	show_limited(ctx, label, text, len);
}

/* A text line: core's own ("[core] text") and LOG lines ("[core] [LABEL]
 * text"), the kernel's and the firmware's, always shown. The terminal's
 * limit is linux core's window of host time, and these lines come at the
 * guest's pace, which under -icount sleep=off runs far ahead of the
 * host's clock: a component that logs ten lines per second of its time
 * shows a hundred in a second of the host's, and the limit would drop
 * lines linux shows (scenarios 34, 47, 55 count every one). Only the
 * domains' own output (`log` frames, on_log_line) is limited here, where
 * a flood is what the limit is for (scenario 32). */
static void on_line(void *ctx, const char *line, size_t len)
{
	static const char core[] = "[core] ";
	struct console *c = ctx;
	host_files_line(&c->files, line, len);
	size_t skip = c->linux_lines && len >= sizeof(core) - 1 &&
	                              memcmp(line, core, sizeof(core) - 1) ==
	                                      0 &&
	                              line[sizeof(core) - 1] == '['
	                      ? sizeof(core) - 1
	                      : 0;
	show(c, line + skip, len - skip);
}

static void on_refused(void *ctx, const char *why)
{
	struct console *c = ctx;
	printf("[host] %s%s", why, c->newline);
	fflush(stdout);
}

static void on_frame(void *ctx, const struct frame *frame)
{
	struct console *c = ctx;
	char why[FRAME_ARG_MAX + 200];
	if (host_files_frame(&c->files, frame, why, sizeof(why)) != 0) {
		char line[sizeof(why) + 40];
		snprintf(line, sizeof(line), "frame refused: %s", why);
		on_refused(ctx, line);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: riscv-console [--log-limit SIZE] "
	                "[--linux-lines] DIR < console > text\n");
	return 2;
}

/* A size as linux core's --log-limit takes it ("256K", "16M", bytes;
 * 0: no rotation). */
static int parse_limit(const char *s, uint64_t *out)
{
	char args[64];
	if (snprintf(args, sizeof(args), "v=%s", s) >= (int)sizeof(args))
		return -1;
	return arg_string_get_size(args, sizeof(args), "v", out) == ARG_OK ? 0
	                                                                   : -1;
}

int main(int argc, char **argv)
{
	uint64_t limit = LOG_LIMIT_DEFAULT;
	int linux_lines = 0, i = 1;
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	for (; i < argc - 1 && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--linux-lines") == 0)
			linux_lines = 1;
		else if (strcmp(argv[i], "--log-limit") == 0 && i + 2 < argc &&
		         parse_limit(argv[i + 1], &limit) == 0)
			i++;
		else
			return usage();
	}
	if (argc != i + 1)
		return usage();
	struct console *c = calloc(1, sizeof(*c));
	char why[512];
	if (!c) {
		fprintf(stderr, "riscv-console: out of memory\n");
		return 1;
	}
	if (host_files_open(&c->files, argv[i], limit, why, sizeof(why)) != 0) {
		fprintf(stderr, "riscv-console: %s\n", why);
		free(c);
		return 1;
	}
	c->linux_lines = linux_lines;
	c->files.on_log_line = on_log_line;
	c->files.on_log_line_ctx = c;
	terminal_limit_init(&c->limit, TERMINAL_LIMIT_PER_LABEL_DEFAULT,
	                    TERMINAL_LIMIT_TOTAL_DEFAULT);
	/* QEMU with -nographic sets a terminal on its stdin raw, where a
	 * newline alone does not return the cursor */
	c->newline = isatty(STDOUT_FILENO) ? "\r\n" : "\n";
	const struct console_events events = { on_line, on_frame, on_refused,
		                               c };
	console_decoder_init(&c->decoder, &events);
	char buf[65536];
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		console_decode(&c->decoder, buf, (size_t)n);
	}
	console_decode_end(&c->decoder);
	terminal_limit_flush(&c->limit, now_ns(), note_dropped, c);
	host_files_machine_ended(&c->files);
	host_files_close(&c->files);
	free(c);
	return 0;
}
