/*
 * The control channel's ROM frame (control_frame.h): made in memory,
 * then written whole or with a reason why not, bounded in time.
 */
#include "control_frame.h"

#include "cksum.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A boot module's name (core/riscv/boot_modules.c, target_module_name_ok)
 * as a header word: printable, without spaces. */
static int module_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > CONTROL_NAME_MAX || name[0] == '.')
		return 0;
	for (const char *p = name; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '/')
			return 0;
	return 1;
}

int control_frame_rom(struct control_frame *f, const char *name,
                      const void *bytes, size_t size, char *why,
                      size_t why_size)
{
	const char *module = strncmp(name, "config/", 7) == 0 ? name + 7 : name;
	uint32_t check;
	int len;

	if (!module_name_ok(module)) {
		snprintf(
			why, why_size,
			"'%s' is no ROM name (1..%u printable bytes, no space "
			"or '/', not starting with '.'; a config as config/NAME)",
			name, CONTROL_NAME_MAX);
		return -1;
	}
	if (size == 0 || size > CONTROL_ROM_MAX) {
		snprintf(why, why_size,
		         "ROM '%s' has %zu bytes: core takes 1 to %zu", name,
		         size, CONTROL_ROM_MAX);
		return -1;
	}
	check = cksum_finish(cksum_update(CKSUM_START, bytes, size), size);
	len = snprintf(f->header, sizeof(f->header), "rom %s %zu %lu\n", name,
	               size, (unsigned long)check);
	if (len < 0 || (size_t)len > CONTROL_HEADER_MAX) {
		snprintf(why, why_size,
		         "the header of ROM '%s' is over %u bytes", name,
		         CONTROL_HEADER_MAX);
		return -1;
	}
	f->header_len = (size_t)len;
	f->bytes = bytes;
	f->size = size;
	return 0;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Writes all `len` bytes, waiting for room until `deadline` (ms of
 * now_ms, or -1); 0, or -1 with why. */
static int write_all(int fd, const void *data, size_t len, long deadline,
                     char *why, size_t why_size)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			snprintf(why, why_size, "%s", strerror(errno));
			return -1;
		}
		long left = deadline < 0 ? -1 : deadline - now_ms();
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };

		if (deadline >= 0 && left <= 0) {
			snprintf(
				why, why_size,
				"the target took no more bytes within the time "
				"allowed");
			return -1;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			snprintf(why, why_size, "%s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

int control_frame_write(int fd, const struct control_frame *f, int timeout_ms,
                        char *why, size_t why_size)
{
	long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	if (write_all(fd, f->header, f->header_len, deadline, why, why_size) ||
	    write_all(fd, f->bytes, f->size, deadline, why, why_size) ||
	    write_all(fd, "\n", 1, deadline, why, why_size))
		return -1;
	return 0;
}
