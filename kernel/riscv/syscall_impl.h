/*
 * What the system-call files share (syscall.c and sys_*.c): the decoded
 * arguments, a table entry, the argument registers, the helpers more than
 * one area decodes with, and each area's part of the table.
 */
#ifndef RISCV_SYSCALL_IMPL_H
#define RISCV_SYSCALL_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "bootmod.h"
#include "cap.h"
#include "frame.h"
#include "mem.h"
#include "outring.h"
#include "thread.h"

struct endpoint;
struct signal;
struct stream_end;
struct waitset;

union sys_args {
	struct {
		char buf[SYS_PRINT_MAX];
		size_t len;
		struct outring *ring; /* 0: the console */
	} print;
	struct {
		struct outring *ring; /* 0: only the claim (id -1) */
		uintptr_t buf;
		size_t len;
	} output;
	struct {
		uintptr_t buf[2]; /* a frame's head and body */
		size_t len[2];
	} frame;
	uint32_t exit_status;
	struct {
		struct endpoint *ep;
		const struct cap *xfer[KMSG_MAX_CAPS];
		unsigned nxfer;
		uintptr_t msg_out, msg_in;
		uint32_t size;
	} ipc;
	struct {
		struct waitset *ws;
		const struct cap *cap;
		uint64_t badge;
		uintptr_t msg;
	} ws;
	struct {
		struct waitset *ws;
		uintptr_t msg, out;
		const struct cap *xfer[KMSG_MAX_CAPS];
		unsigned nxfer;
		uint32_t size;
	} rw;
	struct {
		struct thread *t;
		uint64_t ticket;
	} tid;
	struct {
		struct pd *pd;
		struct thread *t;
		unsigned level;
	} prio;
	struct {
		struct pd *pd;
		size_t frames;
		uint64_t kind;
		uint32_t count;
	} quota;
	struct {
		struct mem *mem;
		size_t first, pages, offset;
		uintptr_t va, phys;
		unsigned perm;
		int mapping;
	} mem;
	struct {
		uint64_t irq;
		struct signal *sig;
	} irq;
	struct {
		const struct bootmod *mod;
		const struct cap *caps[PD_BOOT_CAPS_MAX];
		unsigned ncaps;
		struct signal *exit;
		struct pd *pd;
		struct elf_image image;
		char name[PD_NAME_MAX];
	} pdi;
	struct {
		const struct bootmod *mod;
		const struct cap *boot_cap;
	} pd;
	const struct cap *cap;
	struct {
		uintptr_t entry, sp;
		uint64_t arg;
	} thread;
	struct {
		struct signal *sig;
		uint32_t count;
	} signal;
	struct {
		const struct cap *a, *b;
		int64_t sel;
	} caps;
	struct {
		char name[THREAD_NAME_MAX];
		size_t len;
	} name;
	struct {
		struct pd *pd;
		uintptr_t buf;
		unsigned count;
	} threads;
	struct {
		struct stream_end *end;
		uintptr_t buf;
		size_t n; /* what the invoke moves now; 0: it blocks */
	} stream;
};

struct syscall {
	int (*decode)(struct thread *t, union sys_args *args);
	long (*invoke)(struct thread *t, const union sys_args *args,
	               struct thread **next);
};

static inline uint64_t arg(const struct thread *t, unsigned i)
{
	return t->frame.x[REG_A0 + i];
}

/* No arguments to check. */
int decode_none(struct thread *t, union sys_args *args);
/* A live signal of the caller's own, named by argument 0 (sys_thread.c). */
int decode_own_signal(struct thread *t, union sys_args *args);

/* Each area fills its entries once at boot. */
void sys_table_ipc(struct syscall *table);
void sys_table_thread(struct syscall *table);
void sys_table_mem(struct syscall *table);
void sys_table_pd(struct syscall *table);
void sys_table_stream(struct syscall *table);

#endif /* RISCV_SYSCALL_IMPL_H */
