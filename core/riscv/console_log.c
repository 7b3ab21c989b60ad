/*
 * Core's log on riscv: the console. A LOG session's line and every line
 * of core's own go where core's frames to the host go (host_frames.h):
 * on the frames' virtio console when the board has one, in order with
 * the frames, else on core's stdout, which libkernel hands to the
 * kernel a line at a time (SYS_PRINT). Either way they read "[core] "
 * and the line (the kernel puts it before what core prints, core before
 * what it sends), so a component's line reads "[core] [init -> x] ...". Each
 * line is made printable first (printable.h), so no component forges
 * another's line or drives the terminal. There is no log file and no rate
 * limit here (core/README.md says what remains).
 */
#include "core_platform.h"
#include "host_frames.h"

#include "printable.h"

#include <runtime/session_args.h>
#include <runtime/str.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A LOG line is at most 1000 bytes; a label at most SESSION_LABEL_MAX. */
enum { LINE_MAX_BYTES = SESSION_LABEL_MAX + 1100 };

/* len: what str_format said (negative when cut: the text is there). */
static void print_sanitized(char *text, int len)
{
	size_t n = len < 0 ? strlen(text) : (size_t)len;
	n = printable_sanitize(text, n);
	text[n] = '\0';
	if (host_frames_line(text, n) != 0)
		puts(text);
}

void target_log(struct target *t, const char *label, const char *line)
{
	(void)t;
	char text[LINE_MAX_BYTES];
	int len = str_format(text, sizeof(text), "[%s] %s", label, line);
	print_sanitized(text, len);
}

void target_logf(struct target *t, const char *fmt, ...)
{
	(void)t;
	char text[1024];
	va_list args;
	va_start(args, fmt);
	int len = str_vformat(text, sizeof(text), fmt, args);
	va_end(args);
	print_sanitized(text, len);
}
