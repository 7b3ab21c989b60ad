/*
 * Core's frames to the host (host_frames.h): the header made here, the
 * body sent from where it lies (a report's dataspace), both in one
 * SYS_CONSOLE_WRITE.
 */
#include "host_frames.h"

#include "cksum.h"
#include "sys.h"
#include "../../kernel/riscv/abi.h"
#include "../../kernel/riscv/hostframe.h"

#include <runtime/str.h>

#include <string.h>

/* Whether `s` may stand in a header: printable, no newline. */
static int header_text_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int host_frame_send(const char *kind, const char *arg, const void *body,
                    size_t size, const char **why)
{
	char header[FRAME_HEADER_MAX + 1];
	if (size > FRAME_BODY_MAX) {
		*why = "larger than a frame may be";
		return -1;
	}
	if (!header_text_ok(kind) || !header_text_ok(arg) ||
	    strlen(arg) > FRAME_ARG_MAX) {
		*why = "a name that no frame can carry";
		return -1;
	}
	uint32_t check = cksum_finish(cksum_update(CKSUM_START, body, size),
	                              size);
	int len = str_format(header, sizeof(header), "\n%c%s %s %zu %lu\n",
	                     FRAME_MARK, kind, arg, size, (unsigned long)check);
	if (len < 0) {
		*why = "a header too long";
		return -1;
	}
	long rc = sys_call4(SYS_CONSOLE_WRITE, (long)header, len, (long)body,
	                    (long)size);
	if (rc != (long)((size_t)len + size)) {
		*why = "the kernel refused the console write";
		return -1;
	}
	return 0;
}
