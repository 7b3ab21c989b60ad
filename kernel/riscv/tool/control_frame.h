/*
 * The host's end of the control channel of core on riscv (core/riscv/
 * control.c): the frame that pushes a ROM to a running target, written
 * by riscv-push-rom (push_rom.c) to its stdout and by sculpt into a
 * running target's control fifo (sculpt-cli/target_control.c).
 *
 * A frame is the header line `rom NAME SIZE CHECK`, the SIZE bytes and a
 * newline; CHECK is the POSIX cksum CRC of the bytes in decimal. Core
 * refuses what breaks its rules; the host checks the same bounds first,
 * so that a person hears why on the host and nothing is written: NAME a
 * boot module's name (1..CONTROL_NAME_MAX bytes, printable, no space, no
 * '/', not starting with '.'), or config/ and one (core serves a config
 * before the module of its name); SIZE 1..CONTROL_ROM_MAX.
 */
#ifndef RISCV_TOOL_CONTROL_FRAME_H
#define RISCV_TOOL_CONTROL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define CONTROL_NAME_MAX 64u /* core/riscv's TARGET_NAME_MAX */
/* core/riscv's TARGET_MODULE_LIMIT_DEFAULT: a larger frame is refused */
#define CONTROL_ROM_MAX ((size_t)8 << 20)
#define CONTROL_HEADER_MAX 128u /* control.c's HEADER_MAX */

struct control_frame {
	char header[CONTROL_HEADER_MAX + 1]; /* with its newline */
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

#endif
