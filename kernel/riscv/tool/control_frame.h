/*
 * The host's end of the control channel of core on riscv (core/riscv/
 * control.c): the frames that push a ROM and a whole depot archive to a
 * running target, written by riscv-push-rom (push_rom.c) and
 * riscv-push-archive (push_archive.c) to their stdout and by sculpt into
 * a running target's control fifo (sculpt-cli/target_control.c).
 *
 * Every frame is made of pieces, each a header line, its bytes and a
 * newline (which core skips between frames and files):
 *   - a ROM frame is one piece, `rom NAME SIZE CHECK`, CHECK being the
 *     POSIX cksum CRC of the bytes in decimal;
 *   - an archive frame (core/riscv/control_archive.c) is the line
 *     `archive ARCHIVE COUNT`, then COUNT pieces `file NAME SIZE SHA256`,
 *     one per top-level file of the archive, SHA256 its digest in hex.
 * Core refuses what breaks its rules; the host checks the same bounds
 * first, so that a person hears why on the host and nothing is written:
 * a ROM or file NAME is a boot module's name (1..CONTROL_NAME_MAX bytes,
 * printable, no space, no '/', not starting with '.'), a ROM's also
 * config/ and one (core serves a config before the module of its name);
 * SIZE 1..CONTROL_FILE_MAX; an archive has 1..CONTROL_ARCHIVE_FILES_MAX
 * files of at most CONTROL_ARCHIVES_BYTES_MAX together. Whether ARCHIVE
 * is a name core serves, and one the machine lacks, is core's to judge
 * (it says why on its console); here it only has to be one header word.
 */
#ifndef RISCV_TOOL_CONTROL_FRAME_H
#define RISCV_TOOL_CONTROL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define CONTROL_NAME_MAX 64u /* core/riscv's TARGET_NAME_MAX */
/* core/riscv's TARGET_MODULE_LIMIT_DEFAULT: a larger ROM or file is
 * refused */
#define CONTROL_FILE_MAX ((size_t)8 << 20)
#define CONTROL_LINE_MAX 400u /* core/riscv/control_channel.h's */
/* core/riscv/pushed_archives.h's bounds: files of one archive, archives
 * core keeps, and the bytes of all of them */
#define CONTROL_ARCHIVE_FILES_MAX 16u
#define CONTROL_ARCHIVES_MAX 16u
#define CONTROL_ARCHIVES_BYTES_MAX ((uint64_t)16 << 20)

/* One piece: a header line (with its newline), then `size` bytes and a
 * newline when size > 0. */
struct control_frame {
	char header[CONTROL_LINE_MAX + 1];
	size_t header_len;
	const unsigned char *bytes; /* the caller's, `size` of them */
	size_t size;
};

/* The frame pushing `size` bytes at `bytes` as ROM `name`: checks the
 * name and the size and computes CHECK; no I/O. 0, or -1 with why. */
int control_frame_rom(struct control_frame *f, const char *name,
                      const void *bytes, size_t size, char *why,
                      size_t why_size);

/* Writes frame `f` to `fd`, which may be non-blocking (a fifo): waits
 * for room at most timeout_ms in all (-1: as long as it takes). 0, or -1
 * with why; then part of the frame may have been written, which core
 * refuses (the bytes stop coming, or CHECK differs) and the ROM it
 * serves stays the old one. A closed reader is an error (EPIPE), not a
 * signal, when the caller ignores SIGPIPE. */
int control_frame_write(int fd, const struct control_frame *f, int timeout_ms,
                        char *why, size_t why_size);

/* A file of an archive as the caller holds it. */
struct control_file {
	const char *name;
	const void *bytes;
	size_t size;
};

/* An archive frame: its opening line (a piece without bytes) and a piece
 * per file. */
struct control_archive {
	struct control_frame head;
	struct control_frame files[CONTROL_ARCHIVE_FILES_MAX];
	unsigned count;
	uint64_t bytes; /* of all files */
};

/* The frame pushing archive `archive` (its name with the version) made
 * of `count` files: checks the bounds above, computes each file's
 * SHA-256; no I/O. The files' bytes stay the caller's. 0, or -1 with
 * why. */
int control_frame_archive(struct control_archive *a, const char *archive,
                          const struct control_file *files, unsigned count,
                          char *why, size_t why_size);

/* control_frame_write for a whole archive frame, timeout_ms for all of
 * it; a frame cut short is refused whole by core. */
int control_archive_write(int fd, const struct control_archive *a,
                          int timeout_ms, char *why, size_t why_size);

#endif
