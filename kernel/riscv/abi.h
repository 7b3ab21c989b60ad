/*
 * The system-call ABI between the riscv kernel and user programs, shared
 * by both sides (kernel/riscv/user/ includes it too). A call is an ecall
 * with its number in a7 and arguments in a0..a5; the result comes back in
 * a0: a non-negative value, or a negative KERR_* (kernel/kernel.h).
 *
 * This is the first table; the rest of the kernel interface (memory
 * objects, threads, signals, waitsets) is added here number by number,
 * each with a decode and an invoke step in syscall.c (see README.md).
 * Replies carry no capability yet.
 */
#ifndef RISCV_ABI_H
#define RISCV_ABI_H

/* Macros, not an enum: crt0.S includes this file too. */
#define SYS_PRINT 0  /* (const char *buf, size_t len, stream) -> the bytes
                        taken; at most SYS_PRINT_MAX bytes of the caller's
                        readable memory; stream OUTPUT_STDOUT or
                        OUTPUT_STDERR. The root's go to the console, and so
                        do every domain's until the root first called
                        SYS_OUTPUT_READ; from then on a domain's go into
                        its output ring of that stream (outring.h), as
                        many as fit: 0..len */
#define SYS_EXIT  1  /* (int code): ends the caller's domain, code & 127 */
#define SYS_TICKS 2  /* () -> timer ticks since boot */
/* IPC (ipc.h). A message is four words (a2..a5) and at most one
 * capability: its selector in a1 when sending (-1: none), a fresh selector
 * of the receiver's in a1 when receiving (< 0: none came, KERR_NOMEM if
 * the receiver had no free slot). Blocking calls return their status in
 * a0 and the message in a1..a5. */
#define SYS_EP_CREATE  3  /* () -> selector of a new endpoint the caller owns */
#define SYS_CALL       4  /* (sel, xfer, w0..w3) -> status, cap, w0..w3 */
#define SYS_RECV       5  /* (sel) -> status, cap, w0..w3; owner only */
#define SYS_REPLY      6  /* (-, -, w0..w3) -> 0; to the last caller received */
#define SYS_REPLY_RECV 7  /* (sel, -, w0..w3): SYS_REPLY, then SYS_RECV */
#define SYS_PD_CREATE  8  /* (module, boot_cap) -> 0; the root only: starts
                             boot module `module` with boot_cap as kboot_cap(0) */
#define SYS_CAP_TYPE   9  /* (sel) -> enum kcap_type, KCAP_TYPE_NONE if empty */
#define SYS_THREAD_CREATE 10 /* (entry, sp, arg) -> 0: a thread of the caller's
                                domain at entry(arg) on the stack below sp */
#define SYS_THREAD_EXIT   11 /* (): ends the calling thread; the last thread
                                of a domain ends the domain with status 0 */
/* Signals (signal.h): counting notifications. */
#define SYS_SIGNAL_CREATE 12 /* () -> selector of a new signal the caller owns */
#define SYS_SIGNAL_SUBMIT 13 /* (sel, count) -> 0; KERR_REVOKED once its owner ended */
#define SYS_SIGNAL_WAIT   14 /* (sel) -> the count since the last wait (> 0),
                                blocking until there is one; owner only */
/* Selectors (cap.h). */
#define SYS_CAP_COPY      15 /* (sel) -> a second selector for the same object */
#define SYS_CAP_CLOSE     16 /* (sel) -> 0; -1 is accepted and does nothing */
#define SYS_CAP_SAME      17 /* (a, b) -> 1 if both name one object, else 0 */
/* The kernel interface's messages (kernel/kernel.h's kmsg_t, in the
 * caller's memory: up to KMSG_MAX_BYTES and KMSG_MAX_CAPS) and waitsets,
 * used by libkernel for riscv (kernel/riscv/lib/). An endpoint speaks one
 * form: a call in the register form to an endpoint received in this form,
 * or the other way round, fails with KERR_MALFORMED. */
#define SYS_MCALL         18 /* (sel, const kmsg_t *request, kmsg_t *reply,
                                timeout_ms) -> status; timeout_ms < 0: none */
#define SYS_MREPLY        19 /* (const kmsg_t *reply) -> 0; to the last caller received */
#define SYS_REPLY_DROP    20 /* (): the last caller received sees KERR_REVOKED */
#define SYS_EP_DISSOLVE   21 /* (sel) -> 0; owner only: callers see KERR_REVOKED */
#define SYS_SIGNAL_DESTROY 22 /* (sel) -> 0; owner only: submits see KERR_REVOKED */
#define SYS_WS_CREATE     23 /* () -> the id of a new waitset of the caller's domain */
#define SYS_WS_DESTROY    24 /* (ws) -> 0; what was added is removed */
#define SYS_WS_ADD        25 /* (ws, sel, badge) -> 0; an endpoint or signal the
                                caller owns and that is in no waitset */
#define SYS_WS_REMOVE     26 /* (sel) -> 0; queued callers see KERR_REVOKED */
#define SYS_WS_WAIT       27 /* (ws, kmsg_t *msg, timeout_ms) -> status, kind, badge,
                                count in a0..a3 (enum kevent_kind); a request
                                into *msg; KERR_TIMEOUT when timeout_ms >= 0
                                passed first (in ticks, rounded up) */
#define SYS_PARK_TICKET   28 /* () -> the calling thread's park ticket */
#define SYS_PARK          29 /* (ticket) -> 0 at once if the ticket moved on, else
                                when it does; KERR_CANCELED if canceled */
#define SYS_UNPARK        30 /* (tid) -> 0: moves the ticket of a thread of the
                                caller's domain on; a stale tid does nothing */
#define SYS_CANCEL        31 /* (tid) -> 0: its current or next SYS_PARK or
                                SYS_WS_WAIT returns KERR_CANCELED */
#define SYS_THREAD_SELF   32 /* () -> the calling thread's tid */
#define SYS_THREAD_JOIN   33 /* (tid) -> 0 once that thread of the caller's domain
                                has ended (at once if it has) */
#define SYS_YIELD         34 /* () -> 0: the next runnable thread runs first */
/* Memory objects (mem.h); flags are kernel.h's KMEM_*. */
#define SYS_MEM_CREATE    35 /* (size) -> selector of a zeroed RAM object */
#define SYS_MEM_SIZE      36 /* (sel) -> its size in bytes */
#define SYS_MEM_SEAL      37 /* (sel) -> 0; read-only for good; KERR_DENIED
                                while a writable mapping exists */
#define SYS_MEM_MAP       38 /* (sel, offset, size, flags, va) -> 0: at va, a
                                free page-aligned range of the caller's */
#define SYS_MEM_UNMAP     39 /* (va, size) -> 0: exactly one mapping */
/* Devices (irq.h); the root only (core's IO_MEM and IRQ services) but
 * SYS_IRQ_ACK, which is the signal owner's (the driver's). */
#define SYS_IOMEM_CREATE  40 /* (phys, size) -> selector of a device memory
                                object; not the kernel's own devices */
#define SYS_IRQ_BIND      41 /* (irq, signal sel) -> 0: the source's
                                interrupts count on that signal */
#define SYS_IRQ_ACK       42 /* (signal sel) -> 0: its sources delivered again */
/* Domains as pd.h has them (the root only): by id, slot and generation. */
#define SYS_BOOTMOD_MEM   43 /* (index) -> selector of boot module `index` as a
                                sealed memory object (core's ROM of it) */
#define SYS_PD_CREATE_IMAGE 44 /* (mem sel, const int32_t *caps, count, exit
                                signal sel or -1, const char *name, len)
                                -> id: the ELF image in the object (a boot
                                module's or RAM: any but device memory),
                                with copies of caps[0..count) (at most 8)
                                as its selectors 0..; named by name[0..len)
                                (len 0: the module's name, or "domain") */
#define SYS_PD_KILL       45 /* (id) -> 0 */
#define SYS_PD_STATE      46 /* (id) -> -1 running, else its status | 256 if killed */
#define SYS_PD_WAIT       47 /* (id, timeout_ms) -> 0 once it ended, KERR_TIMEOUT */
#define SYS_PD_RELEASE    48 /* (id) -> 0: an ended domain's slot is free again */
#define SYS_PD_THREAD     49 /* (id, tid) -> 0 if the thread is the domain's */
/* The kmsg form's short cuts (ipcbuf.h): a thread's registered IPC
 * buffer, whose messages the kernel copies frame to frame, and the
 * server's reply and next wait in one call. */
#define SYS_IPCBUF        50 /* () -> the address of the caller's IPC buffer:
                                IPCBUF_PAGES pages, a kmsg_t to receive at
                                offset 0, one to send at 8192; registered
                                on the first call, the thread's until it
                                ends */
#define SYS_REPLY_WAIT    51 /* (ws, kmsg_t *msg, timeout_ms, const kmsg_t
                                *reply): SYS_MREPLY(reply), then
                                SYS_WS_WAIT(ws, msg, timeout_ms); both
                                decoded before either acts */
/* Priorities (thread.h): PRIO_LEVELS levels, the highest runnable level
 * runs, round robin within one; the root sets them. */
#define SYS_PRIORITY      52 /* (domain id or -1: the caller's, tid or -1:
                                every thread of it and those it makes
                                later, level) -> 0; the root only */
#define SYS_PD_RAM_LIMIT  53 /* (domain id or -1: the caller's, bytes) -> the
                                bytes charged to it: its RAM quota from now
                                on (rounded down to pages); the root only */
#define SYS_BOOTMOD_INFO  54 /* (index, char name[BOOT_NAME_MAX]) -> the
                                module's size in bytes, its name copied out;
                                KERR_INVALID past the last (core's ROM
                                service finds modules by name) */
/* Ending a device's grant (the root only: core's IRQ and IO_MEM services
 * on a session's close), so the interrupt or range can go to another
 * driver. */
#define SYS_IRQ_UNBIND    55 /* (irq) -> 0: the source masked and bound to
                                nothing; KERR_INVALID if it is not bound */
#define SYS_MEM_REVOKE    56 /* (mem sel) -> the mappings removed: the object
                                unmapped from every domain and never mapped
                                again (SYS_MEM_MAP: KERR_REVOKED) */
#define SYS_PD_OBJ_LIMIT  57 /* (domain id or -1: the caller's, kind, count)
                                -> the objects of that kind charged to it:
                                its bound from now on; the root only */
/* 58 was console input (SYS_CONSOLE_READ), retired: core's control
 * channel is a virtio console now (core/riscv/virtio_console.c), which
 * needs SYS_MEM_PHYS instead. The number answers KERR_INVALID. */
#define SYS_RETIRED_58    58
/* What the kernel has left (the root only: core sizes init's quota by
 * it, core/riscv/main.c). */
#define SYS_KERNEL_FREE   59 /* (what) -> KERNEL_FREE_RAM: the bytes of free
                                frames; KERNEL_FREE_SLOTS: the caller's
                                free capability slots */
#define KERNEL_FREE_RAM   0
#define KERNEL_FREE_SLOTS 1
/* Core's frames to the host (core/riscv/host_frames.c): raw console output,
 * the root's only, written in one piece: no other output comes between
 * its bytes (the kernel is never preempted), none is replaced, and no
 * label is put in front, so a frame's marker byte, which the kernel shows
 * as '?' in every domain's SYS_PRINT, is the root's alone. */
#define SYS_CONSOLE_WRITE 60 /* (head, head_len, body, body_len; the two
                                lengths at most SYS_CONSOLE_WRITE_MAX) ->
                                their sum; the root only */
/* A domain's stdout and stderr for core (core/riscv/domain_output_ring.c):
 * the first call, with id -1 or not, sends every other domain's SYS_PRINT
 * into its output rings for good. */
#define SYS_OUTPUT_READ   61 /* (domain id or -1: none, stream, char *buf,
                                len) -> the 0..len oldest bytes of that
                                stream's ring, taken away; the domain
                                running or ended (until SYS_PD_RELEASE);
                                the root only */
/* Where a device's DMA goes (the root only: core's virtio console,
 * core/riscv/virtio_console.c, hands the physical addresses of its own
 * buffers to the device). The object stays the caller's to keep alive
 * while the device uses it. */
#define SYS_MEM_PHYS      62 /* (mem sel, offset) -> the physical address of
                                byte `offset` of a RAM object (its frames
                                are not contiguous: one page at a time);
                                KERR_INVALID past its end or for device
                                memory and boot modules */
/* What the kernel holds for a domain (the root only: core's usage
 * report, core/riscv/control_usage.c, by which a host finds leaks in
 * core and init without reading their memory). */
#define SYS_PD_USAGE      63 /* (domain id or -1: the caller's, what) -> a
                                count: what < PD_OBJ_KINDS, its objects of
                                that kind (as SYS_PD_OBJ_LIMIT counts them);
                                PD_USE_FRAMES, the frames charged to it;
                                PD_USE_SLOTS, its capability slots in use;
                                PD_USE_MAPS, its mappings. A domain ended
                                but not released holds none */
/* Streams (stream.h): a connected pair of ends with a ring of
 * STREAM_RING_SIZE bytes per direction, made by the root (core's Net
 * service keeps one end and hands the other on by IPC); an end closes
 * with its last capability (SYS_CAP_CLOSE), and waitsets take an end
 * through SYS_WS_ADD and SYS_WS_REMOVE (event KEVENT_STREAM while it is
 * readable). A selector that names no stream: KERR_WRONG_TYPE. A read
 * or write that waits runs again from its start when the stream
 * changes, so its timeout counts from the last change. */
#define SYS_STREAM_CREATE 64 /* () -> the first end's selector, the
                                second's in a1; the root only, charged
                                the rings' frames until both ends close */
#define SYS_STREAM_READ   65 /* (sel, buf, n >= 1, timeout_ms) -> 1..n bytes
                                taken, 0 at the end (the other end
                                closed, its bytes read), KERR_TIMEOUT,
                                KERR_REVOKED once failed */
#define SYS_STREAM_WRITE  66 /* (sel, buf, n >= 1, timeout_ms) -> 1..n bytes
                                put (what fits), KERR_REVOKED when the
                                other end is closed or the pair failed */
#define SYS_STREAM_FAIL   67 /* (sel) -> 0: the pair failed for good (a
                                connection refused or reset); its
                                creator only */
/* No new code (kernel.h's kconfine_forbid_open on this kernel,
 * lib/process.c): a one-way flag of the caller's domain, which holds for
 * every thread of it, those made before and after. */
#define SYS_NO_NEW_CODE   68 /* () -> 0: from now on the caller's domain
                                makes no executable mapping (SYS_MEM_MAP
                                with KMEM_EXEC) and no domain
                                (SYS_PD_CREATE, SYS_PD_CREATE_IMAGE):
                                KERR_DENIED, for good; again: 0 */
/* Threads by name and how often each was switched to (thread.h): core's
 * usage report, by which a host sees a thread that wakes while it should
 * sleep (scenario 59, as linux's /proc ctxt_switches). */
#define SYS_THREAD_NAME   69 /* (const char *name, len) -> 0: the calling
                                thread's name from now on, its first
                                THREAD_NAME_MAX - 1 bytes, each outside
                                '!'..'~' as '?' (libkernel names each
                                thread it starts by kthread_create's
                                name) */
#define SYS_PD_THREADS    70 /* (domain id or -1: the caller's, struct
                                pd_thread *buf, count) -> how many live
                                threads it has, the first `count` of them
                                written to buf (count cut to the
                                machine's 64 threads before buf is
                                checked writable); the root only */
#define SYS_COUNT         71
#define OUTPUT_STDOUT     1
#define OUTPUT_STDERR     2
/* The kinds of kernel object a domain is charged for (SYS_PD_OBJ_LIMIT,
 * README.md "Quotas"). */
#define PD_OBJ_THREAD     0
#define PD_OBJ_ENDPOINT   1
#define PD_OBJ_SIGNAL     2
#define PD_OBJ_WAITSET    3
#define PD_OBJ_MEM        4   /* RAM memory objects it created */
#define PD_OBJ_KINDS      5
/* SYS_PD_USAGE's other counts, after the kinds */
#define PD_USE_FRAMES     5
#define PD_USE_SLOTS      6
#define PD_USE_MAPS       7
#define PD_USE_KINDS      8
/* A thread's name with its NUL (SYS_THREAD_NAME, SYS_PD_THREADS). */
#define THREAD_NAME_MAX   16
#define PRIO_LEVELS       16 /* 0 lowest .. 15 highest */
#define PRIO_DEFAULT      7  /* a new domain's; pd.h's nice 0 */
#define PD_BOOT_CAPS_MAX  8
/* SYS_MEM_CREATE's largest RAM object in bytes (one frame lists its
 * frames): libkernel's heap grows in pieces of at most this (lib/sbrk.c). */
#define MEM_OBJECT_MAX    (2ul << 20)

/* A tid: the thread's slot in its low 8 bits, the slot's generation
 * above, so a tid of an ended thread never names its successor. */
#define TID_SLOT_BITS 8

#define SYS_PRINT_MAX 256u
/* A whole report frame: header, 1 MiB of report, trailer. */
#define SYS_CONSOLE_WRITE_MAX ((1u << 20) + 1024u)

#ifndef __ASSEMBLER__
#include <stdint.h>
/* SYS_PD_THREADS's entry for a thread: how often the scheduler switched
 * to it (from another thread, or from the idle hart) since it started,
 * and its name (SYS_THREAD_NAME; empty until it names itself). */
struct pd_thread {
	uint64_t switches;
	char name[THREAD_NAME_MAX];
};
#endif

#endif /* RISCV_ABI_H */
