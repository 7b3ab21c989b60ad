/*
 * Frames from the target to the host: what core on riscv has no file
 * system for (reports) and what the host cannot see otherwise (which
 * domains live), the mirror of the control channel (core/riscv/control.c,
 * frames "rom NAME SIZE CHECK" on the input). Core writes them
 * (core/riscv/host_frames.c) on the frames' virtio console when the board
 * has one (port 1 of a second virtio-serial device, with core's own log
 * lines between them), else on the UART console; the host tool
 * kernel/riscv/tool/console.c reads them out of QEMU's output (and the
 * fifo of that console). Shared by both sides, so it holds only the wire
 * format.
 *
 * A frame is a newline, a header line and SIZE bytes, written in one
 * piece (on the UART by one SYS_CONSOLE_WRITE, abi.h; on the virtio
 * console under core's lock), so no other output comes between them:
 *
 *   '\n' FRAME_MARK KIND ' ' TIME ' ' ARG ' ' SIZE ' ' CHECK '\n'
 *                                                       then SIZE bytes
 *
 * A FRAME_MARK right after a newline starts a frame, and that newline is
 * the frame's (it ends a line a domain left open, and makes no empty line
 * otherwise). Only the root can put the mark there: the kernel shows it
 * as '?' in every domain's SYS_PRINT, and where it prints a domain's name
 * unchanged, something else comes first on the line ("[", "kernel: ").
 * ARG may hold spaces (a report's name): TIME is the second word, SIZE
 * and CHECK are the last two. TIME, SIZE and CHECK are decimal. TIME is
 * the guest's clock when core sent the frame, in nanoseconds since the
 * machine started (the timebase, kclock_ns), at most FRAME_TIME_MAX: what
 * happens in guest time (init's delay between two reports) reads so on
 * the host, whose own clock the guest's does not follow (under QEMU's
 * -icount sleep=off an idle guest's clock jumps ahead); the host tool
 * dates a report file by it. CHECK is the POSIX cksum CRC of the bytes
 * (as on the control channel; tool/cksum.h). The kinds:
 *
 *   report NAME    the bytes are the report file report/NAME (replaced)
 *   unreport NAME  report/NAME is gone (its last session closed); SIZE 0
 *   domain ID      a domain was created; the bytes are its session label
 *   ended ID       domain ID ended (exited, killed or destroyed); SIZE 0
 *   log ID         lines domain ID wrote to its stdout or stderr
 *                  (core/riscv/domain_output_ring.h), each "(stdout) TEXT"
 *                  or "(stderr) TEXT" and a newline, TEXT printable and at
 *                  most LOG_FRAME_LINE_MAX bytes with its marker; for the
 *                  log file of the domain's label and the terminal
 *
 * ID is decimal, counted from 1 by core and never used again while the
 * machine runs (a restarted child is a new ID). OpenSBI's console puts
 * '\r' before every '\n' it writes, the bytes of a frame's body
 * included: the reader of the UART takes one '\r' before each '\n' away
 * first (the virtio console's bytes come as core wrote them).
 */
#ifndef RISCV_HOSTFRAME_H
#define RISCV_HOSTFRAME_H

#define FRAME_MARK       '\001'
#define FRAME_HEADER_MAX 320u  /* the mark to the newline after CHECK */
/* A machine's uptime of ~31 years: the host adds it to the machine's
 * start (about 1.8e18 ns since 1970) and stays far inside int64_t. */
#define FRAME_TIME_MAX   1000000000000000000ull
#define FRAME_BODY_MAX   (1024ul * 1024ul)   /* a report's most */
#define FRAME_ARG_MAX    (64ul * 4ul)         /* a report's file name's most */
#define LOG_FRAME_LINE_MAX 1000u /* a marker and OUTPUT_LINE_MAX (core) */

#endif /* RISCV_HOSTFRAME_H */
