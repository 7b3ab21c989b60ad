/*
 * riscv-console: the host's end of the console of a riscv machine under
 * QEMU (kernel/riscv/hostframe.h). Reads QEMU's console output on stdin
 * and writes
 *   - the text, carriage returns removed, on stdout, a line at a time
 *     (the scenario harness's $T/out), with a line
 *     "[host] frame refused: WHY" for each bad frame, which is skipped;
 *     of the log lines (core's own, LOG lines, the domains' output of
 *     "log" frames), as many as linux core shows: its terminal's rate
 *     limit (core/terminal_limit.h, by the guest's clock of the frames)
 *     drops the rest of the domains' own output,
 *     and a "[core] N lines of LABEL dropped ..." note says so;
 *   - in DIR, as linux core writes its target directory: log/FILE.log
 *     (every log line), report/NAME and the live domains in DIR/domains
 *     (host_files.h).
 * With --frames FIFO it reads a second stream beside stdin: the fifo
 * that QEMU writes the frames' virtio console into (core/riscv/
 * host_frames.h: core's frames and its own log lines, in core's order,
 * when the machine has that console; tests/riscv/qemu-control.sh makes
 * QEMU's arguments), decoded alike but without the UART's carriage
 * returns. The two streams are read as their bytes come; only core's
 * output is in order with itself (the kernel's and the firmware's lines
 * stay on the UART).
 * It ends with its input (QEMU's end), then takes what the fifo still
 * holds, so it is bounded in time by QEMU's; what it holds is bounded by
 * the decoders' limits. SIGINT and
 * SIGTERM are ignored: a terminal's Ctrl-C or a harness's SIGTERM to
 * everything of the machine ends QEMU, and this tool then still takes
 * QEMU's last output and empties the list of live domains.
 *
 *   riscv-console [--log-limit SIZE] [--linux-lines] [--frames FIFO] DIR
 *       < console > text
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
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct console {
	struct console_decoder decoder; /* first: the large parts */
	struct console_decoder frames;  /* the frames' virtio console */
	struct host_files files;
	struct terminal_limit limit;
	int linux_lines;
	const char *newline; /* "\r\n" to a terminal: QEMU made it raw */
};

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

/* A line of a domain's own output (a `log` frame's), shown if the
 * terminal's limit admits it. The limit's windows are of the frame's
 * TIME, the guest's clock, as linux core's are of the time the
 * components run in: the host's clock is no measure of the guest's pace,
 * which under -icount sleep=off runs far ahead of it when idle. */
static void on_log_line(void *ctx, const char *label, const char *text,
                        size_t len, uint64_t time_ns)
{
	struct console *c = ctx;
	if (terminal_limit_admit(&c->limit, label, (int64_t)time_ns,
	                         note_dropped, c))
		show(c, text, len);
}

/* A text line: core's own ("[core] text") and LOG lines ("[core] [LABEL]
 * text"), the kernel's and the firmware's, always shown: a line carries
 * no time of the guest's, and by the host's clock the limit would drop
 * lines linux shows (a component that logs ten lines per second of its
 * time shows a hundred in a second of the host's; scenarios 34, 47, 55
 * count every one). Only the domains' own output (`log` frames,
 * on_log_line) is limited, where a flood is what the limit is for
 * (scenario 32). */
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

/* One read of `fd` into `d`: 1, 0 at its end (or an error), -1 when
 * nothing is there now. */
static int read_into(int fd, struct console_decoder *d)
{
	static char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) < 0 && errno == EINTR)
		;
	if (n < 0 && errno == EAGAIN)
		return -1;
	if (n <= 0)
		return 0;
	console_decode(d, buf, (size_t)n);
	return 1;
}

/* stdin (the UART) to its end, and the frames' fifo (-1: none) as its
 * bytes come; at stdin's end QEMU is gone and has written all it will:
 * what the fifo holds is taken, without waiting. */
static void read_streams(struct console *c, int frames_fd)
{
	struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 },
		                 { frames_fd, POLLIN, 0 } };
	struct console_decoder *decoders[2] = { &c->decoder, &c->frames };
	while (fds[0].fd >= 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* the frames first: core's lines before the kernel's that
		 * came at once (a fault line after what core said before) */
		for (int i = 2; i-- > 0;)
			if (fds[i].fd >= 0 && fds[i].revents &&
			    read_into(fds[i].fd, decoders[i]) == 0)
				fds[i].fd = -1; /* poll skips it */
	}
	if (fds[1].fd >= 0)
		while (read_into(fds[1].fd, &c->frames) > 0)
			;
}

static int usage(void)
{
	fprintf(stderr, "usage: riscv-console [--log-limit SIZE] "
	                "[--linux-lines] [--frames FIFO] DIR < console > "
	                "text\n");
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
	const char *frames = NULL;
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	for (; i < argc - 1 && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--linux-lines") == 0)
			linux_lines = 1;
		else if (strcmp(argv[i], "--log-limit") == 0 && i + 2 < argc &&
		         parse_limit(argv[i + 1], &limit) == 0)
			i++;
		else if (strcmp(argv[i], "--frames") == 0 && i + 2 < argc)
			frames = argv[++i];
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
	console_decoder_init(&c->frames, &events);
	c->frames.raw = 1;
	int frames_fd = -1;
	if (frames) {
		/* read-write: a fifo that no writer has opened yet (QEMU
		 * starts beside this tool) would read as ended at once; so
		 * its end is stdin's (QEMU's). Not blocking: the rest is
		 * taken at that end without waiting. */
		frames_fd = open(frames, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (frames_fd < 0) {
			fprintf(stderr, "riscv-console: cannot open %s: %s\n",
			        frames, strerror(errno));
			host_files_close(&c->files);
			free(c);
			return 1;
		}
	}
	read_streams(c, frames_fd);
	if (frames_fd >= 0)
		close(frames_fd);
	console_decode_end(&c->decoder);
	console_decode_end(&c->frames);
	/* the last window's drops said; no window follows, so its start
	 * does not matter */
	terminal_limit_flush(&c->limit, 0, note_dropped, c);
	host_files_machine_ended(&c->files);
	host_files_close(&c->files);
	free(c);
	return 0;
}
