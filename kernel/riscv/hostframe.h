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
 *   '\n' FRAME_MARK KIND ' ' ARG ' ' SIZE ' ' CHECK '\n'   then SIZE bytes
 *
 * A FRAME_MARK right after a newline starts a frame, and that newline is
 * the frame's (it ends a line a domain left open, and makes no empty line
 * otherwise). Only the root can put the mark there: the kernel shows it
 * as '?' in every domain's SYS_PRINT, and where it prints a domain's name
 * unchanged, something else comes first on the line ("[", "kernel: ").
 * ARG may hold spaces (a report's name): SIZE and CHECK are the last two
 * words. SIZE and CHECK are decimal; CHECK is the POSIX cksum
 * CRC of the bytes (as on the control channel; tool/cksum.h). The kinds:
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
#define FRAME_BODY_MAX   (1024ul * 1024ul)   /* a report's most */
#define FRAME_ARG_MAX    (64ul * 4ul)         /* a report's file name's most */
#define LOG_FRAME_LINE_MAX 1000u /* a marker and OUTPUT_LINE_MAX (core) */

#endif /* RISCV_HOSTFRAME_H */
