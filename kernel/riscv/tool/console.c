/*
 * riscv-console: the host's end of the console of a riscv machine under
 * QEMU (kernel/riscv/hostframe.h). Reads QEMU's console output on stdin
 * and writes
 *   - the text, carriage returns removed, on stdout, a line at a time
 *     (the scenario harness's $T/out), with a line
 *     "[host] frame refused: WHY" for each bad frame, which is skipped;
 *   - in DIR, as linux core writes its target directory: log/FILE.log,
 *     report/NAME and the live domains in DIR/domains (host_files.h).
 * It ends with its input (QEMU's end), so it is bounded in time by
 * QEMU's; what it holds is bounded by the decoder's limits. SIGINT and
 * SIGTERM are ignored: a terminal's Ctrl-C or a harness's SIGTERM to
 * everything of the machine ends QEMU, and this tool then still takes
 * QEMU's last output and empties the list of live domains.
 *
 *   riscv-console [--log-limit BYTES] [--linux-lines] DIR < console > text
 *
 * --linux-lines shows a LOG line as linux core does, "[LABEL] text",
 * without the "[core] " the kernel puts before everything core prints
 * (core's own lines keep theirs: "[core] text", as on linux), so that
 * the scenario files' patterns (`^\[init\] ...`) read both platforms.
 */
#include "console_decode.h"
#include "host_files.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct console {
	struct console_decoder decoder; /* first: the large part */
	struct host_files files;
	int linux_lines;
	const char *newline; /* "\r\n" to a terminal: QEMU made it raw */
};

static void on_line(void *ctx, const char *line, size_t len)
{
	static const char log_line[] = "[core] [";
	struct console *c = ctx;
	size_t skip = c->linux_lines && len >= sizeof(log_line) - 1 &&
	                              memcmp(line, log_line,
	                                     sizeof(log_line) - 1) == 0
	                      ? sizeof("[core] ") - 1
	                      : 0;
	fwrite(line + skip, 1, len - skip, stdout);
	fputs(c->newline, stdout);
	fflush(stdout);
	host_files_line(&c->files, line, len);
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
	fprintf(stderr, "usage: riscv-console [--log-limit BYTES] "
	                "[--linux-lines] DIR < console > text\n");
	return 2;
}

/* Bytes, at least 4096 (or 0: no rotation). */
static int parse_limit(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || (v != 0 && v < 4096))
		return -1;
	*out = v;
	return 0;
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
	host_files_machine_ended(&c->files);
	host_files_close(&c->files);
	free(c);
	return 0;
}
