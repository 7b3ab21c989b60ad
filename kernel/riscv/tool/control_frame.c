/*
 * The control channel's ROM and archive frames (control_frame.h): made in
 * memory, then written whole or with a reason why not, bounded in time.
 * Both are pieces (a header line, bytes, a newline): the checks of a
 * name and a size and the writing of a piece are one code for both.
 */
#include "control_frame.h"

#include "cksum.h"

#include <hex/hex.h>
#include <openssl/evp.h>

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

/* Completes piece f, whose header line snprintf wrote (`len` bytes, or
 * a negative number); its bytes the caller's. 0, or -1 when the header
 * is over CONTROL_LINE_MAX bytes. */
static int piece(struct control_frame *f, int len, const void *bytes,
                 size_t size)
{
	if (len < 0 || (size_t)len > CONTROL_LINE_MAX)
		return -1;
	f->header_len = (size_t)len;
	f->bytes = bytes;
	f->size = size;
	return 0;
}

/* A payload's size as core takes it (control_payload_size). */
static int size_ok(const char *what, const char *name, size_t size, char *why,
                   size_t why_size)
{
	if (size > 0 && size <= CONTROL_FILE_MAX)
		return 1;
	snprintf(why, why_size, "%s '%s' has %zu bytes: core takes 1 to %zu",
	         what, name, size, CONTROL_FILE_MAX);
	return 0;
}

int control_frame_rom(struct control_frame *f, const char *name,
                      const void *bytes, size_t size, char *why,
                      size_t why_size)
{
	const char *module = strncmp(name, "config/", 7) == 0 ? name + 7 : name;

	if (!module_name_ok(module)) {
		snprintf(
			why, why_size,
			"'%s' is no ROM name (1..%u printable bytes, no space "
			"or '/', not starting with '.'; a config as config/NAME)",
			name, CONTROL_NAME_MAX);
		return -1;
	}
	if (!size_ok("ROM", name, size, why, why_size))
		return -1;
	uint32_t check = cksum_finish(cksum_update(CKSUM_START, bytes, size),
	                              size);
	if (piece(f,
	          snprintf(f->header, sizeof(f->header), "rom %s %zu %lu\n",
	                   name, size, (unsigned long)check),
	          bytes, size)) {
		snprintf(why, why_size,
		         "the header of ROM '%s' is over %u bytes", name,
		         CONTROL_LINE_MAX);
		return -1;
	}
	return 0;
}

/* A header word: printable, no space (core splits the line at spaces). */
static int word_ok(const char *word)
{
	if (!*word)
		return 0;
	for (const char *p = word; *p; p++)
		if (*p <= ' ' || *p > '~')
			return 0;
	return 1;
}

/* The SHA-256 of `size` bytes in hex; 0, or -1 when OpenSSL fails. */
static int sha256_hex(const void *bytes, size_t size, char hex[2 * 32 + 1])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(bytes, size, digest, &len, EVP_sha256(), NULL) ||
	    len != 32)
		return -1;
	hex_encode(digest, len, hex);
	return 0;
}

/* The piece of file `file` of archive `archive`; 0, or -1 with why. */
static int archive_file(struct control_frame *f, const char *archive,
                        const struct control_file *file, char *why,
                        size_t why_size)
{
	char digest[2 * 32 + 1];

	if (!module_name_ok(file->name)) {
		snprintf(why, why_size,
		         "archive '%s' has a file '%s' that core cannot serve "
		         "(a top-level ROM name: 1..%u printable bytes, no "
		         "space or '/', not starting with '.')",
		         archive, file->name, CONTROL_NAME_MAX);
		return -1;
	}
	if (!size_ok("file", file->name, file->size, why, why_size))
		return -1;
	if (sha256_hex(file->bytes, file->size, digest)) {
		snprintf(why, why_size, "cannot compute the SHA-256 of '%s'",
		         file->name);
		return -1;
	}
	/* a ROM name and a size in decimal fit CONTROL_LINE_MAX */
	return piece(f,
	             snprintf(f->header, sizeof(f->header), "file %s %zu %s\n",
	                      file->name, file->size, digest),
	             file->bytes, file->size);
}

int control_frame_archive(struct control_archive *a, const char *archive,
                          const struct control_file *files, unsigned count,
                          char *why, size_t why_size)
{
	a->count = 0;
	a->bytes = 0;
	if (!word_ok(archive) ||
	    piece(&a->head,
	          snprintf(a->head.header, sizeof(a->head.header),
	                   "archive %s %u\n", archive, count),
	          NULL, 0)) {
		snprintf(why, why_size,
		         "'%.64s...' is no archive name (one word of "
		         "printable bytes, at most %u in the header line)",
		         archive, CONTROL_LINE_MAX);
		return -1;
	}
	if (count == 0 || count > CONTROL_ARCHIVE_FILES_MAX) {
		snprintf(why, why_size,
		         "archive '%s' has %u top-level files: core takes 1 "
		         "to %u",
		         archive, count, CONTROL_ARCHIVE_FILES_MAX);
		return -1;
	}
	for (unsigned i = 0; i < count; i++) {
		for (unsigned j = 0; j < i; j++)
			if (strcmp(files[i].name, files[j].name) == 0) {
				snprintf(why, why_size,
				         "archive '%s' has file '%s' twice",
				         archive, files[i].name);
				return -1;
			}
		if (archive_file(&a->files[i], archive, &files[i], why,
		                 why_size))
			return -1;
		a->bytes += files[i].size;
	}
	if (a->bytes > CONTROL_ARCHIVES_BYTES_MAX) {
		snprintf(why, why_size,
		         "archive '%s' has %llu bytes: core keeps at most "
		         "%llu of pushed archives",
		         archive, (unsigned long long)a->bytes,
		         (unsigned long long)CONTROL_ARCHIVES_BYTES_MAX);
		return -1;
	}
	a->count = count;
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

/* A piece, until `deadline`. */
static int write_piece(int fd, const struct control_frame *f, long deadline,
                       char *why, size_t why_size)
{
	if (write_all(fd, f->header, f->header_len, deadline, why, why_size))
		return -1;
	if (f->size == 0)
		return 0;
	if (write_all(fd, f->bytes, f->size, deadline, why, why_size) ||
	    write_all(fd, "\n", 1, deadline, why, why_size))
		return -1;
	return 0;
}

static long deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

int control_frame_write(int fd, const struct control_frame *f, int timeout_ms,
                        char *why, size_t why_size)
{
	return write_piece(fd, f, deadline_of(timeout_ms), why, why_size);
}

int control_archive_write(int fd, const struct control_archive *a,
                          int timeout_ms, char *why, size_t why_size)
{
	long deadline = deadline_of(timeout_ms);

	if (write_piece(fd, &a->head, deadline, why, why_size))
		return -1;
	for (unsigned i = 0; i < a->count; i++)
		if (write_piece(fd, &a->files[i], deadline, why, why_size))
			return -1;
	return 0;
}
