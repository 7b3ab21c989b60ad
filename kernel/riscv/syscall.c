/*
 * The system-call table (syscall.h) and the calls that belong to no area:
 * print (to the console or a domain's output ring, outring.h) and the
 * root's read of the rings, exit, ticks, capability type, copy, close and
 * comparison, and raw console output for the root (its frames to the
 * host). A decode function returns 0 or a KERR_* value and fills `union sys_args`;
 * it reads the caller's frame, capability space and memory and changes
 * nothing. The invoke function gets only decoded arguments, cannot fail,
 * returns the result for a0 and may name the thread to switch to (an IPC
 * partner). The number is checked against the table before anything else.
 * The areas' calls are in sys_ipc.c, sys_thread.c, sys_mem.c, sys_pd.c,
 * sys_stream.c,
 * each filling its part of the table at boot.
 */
#include "abi.h"
#include "arch.h"
#include "bootmod.h"
#include "console.h"
#include "ipc.h"
#include "irq.h"
#include "kernel/kernel.h"
#include "mem.h"
#include "outring.h"
#include "page.h"
#include "panic.h"
#include "sbi.h"
#include "signal.h"
#include "syscall_impl.h"
#include "syscall.h"
#include "timer.h"
#include "waitset.h"

/* Filled once by syscall_init() and read-only after: global state with a
 * reason, one kernel. Every number has an entry (asserted there). */
static struct syscall calls[SYS_COUNT];

int decode_none(struct thread *t, union sys_args *args)
{
	return 0;
}

/* Once the root has read a domain's output (SYS_OUTPUT_READ), every other
 * domain's SYS_PRINT goes into its output rings, for good. Global with a
 * reason: one root per machine, and a root that never reads output (the
 * test programs' roots) keeps its domains' output on the console. */
static int output_claimed;

/* The output ring of `stream` (OUTPUT_STDOUT, OUTPUT_STDERR) of `pd`. */
static struct outring *ring_of(struct pd *pd, uint64_t stream)
{
	return &pd->out[stream == OUTPUT_STDERR];
}

static int stream_ok(uint64_t stream)
{
	return stream == OUTPUT_STDOUT || stream == OUTPUT_STDERR;
}

/* SYS_PRINT: the buffer must be the caller's, readable, and short; the
 * stream one of the two. What goes into a ring is what fits now. */
static int decode_print(struct thread *t, union sys_args *args)
{
	uintptr_t buf = arg(t, 0);
	size_t len = arg(t, 1);
	if (len > SYS_PRINT_MAX || !stream_ok(arg(t, 2)) ||
	    !vm_user_range_ok(&t->pd->space, buf, len, VM_R))
		return KERR_INVALID;
	args->print.ring = output_claimed && !pd_is_root(t->pd)
	                           ? ring_of(t->pd, arg(t, 2))
	                           : 0;
	if (args->print.ring) {
		KASSERT(outring_ok(args->print.ring));
		size_t room = outring_room(args->print.ring);
		len = len < room ? len : room;
	}
	for (size_t i = 0; i < len; i++)
		args->print.buf[i] = *(const char *)
		                             vm_user_to_kernel(&t->pd->space,
		                                               buf + i);
	args->print.len = len;
	return 0;
}

static long invoke_print(struct thread *t, const union sys_args *args,
                         struct thread **next)
{
	if (args->print.ring) {
		outring_put(args->print.ring, args->print.buf, args->print.len);
		return (long)args->print.len;
	}
	kprintf("[%s] ", t->pd->name);
	console_write_untrusted(args->print.buf, args->print.len);
	return (long)args->print.len;
}

/* SYS_OUTPUT_READ: the root only; a domain it holds (or -1: none), a
 * stream, a writable buffer of the root's. */
static int decode_output_read(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	uint64_t id = arg(t, 0);
	uintptr_t buf = arg(t, 2);
	size_t len = arg(t, 3);
	struct pd *pd = id == (uint64_t)-1 ? 0 : pd_of_id(id);
	if ((id != (uint64_t)-1 && !pd) || !stream_ok(arg(t, 1)) ||
	    !vm_user_range_ok(&t->pd->space, buf, len, VM_W))
		return KERR_INVALID;
	args->output.ring = pd ? ring_of(pd, arg(t, 1)) : 0;
	args->output.buf = buf;
	args->output.len = 0;
	if (args->output.ring) {
		KASSERT(outring_ok(args->output.ring));
		size_t used = outring_used(args->output.ring);
		args->output.len = len < used ? len : used;
	}
	return 0;
}

/* Into the root's buffer a page at a time (one lookup per page); the
 * range was checked writable. */
static long invoke_output_read(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	output_claimed = 1;
	uintptr_t at = args->output.buf, end = at + args->output.len;
	while (at < end) {
		uintptr_t stop = (at | (PAGE_SIZE - 1)) + 1;
		size_t n = (stop < end ? stop : end) - at;
		outring_take(args->output.ring,
		             (char *)vm_user_to_kernel(&t->pd->space, at), n);
		at += n;
	}
	return (long)args->output.len;
}

static int decode_exit(struct thread *t, union sys_args *args)
{
	args->exit_status = (uint32_t)arg(t, 0) & 127u;
	return 0;
}

static long invoke_exit(struct thread *t, const union sys_args *args,
                        struct thread **next)
{
	pd_end(t->pd, args->exit_status);
	return 0;
}

static long invoke_ticks(struct thread *t, const union sys_args *args,
                         struct thread **next)
{
	return (long)timer_ticks();
}

static long invoke_cap_type(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	return c ? c->type : KCAP_TYPE_NONE;
}

static int decode_cap_copy(struct thread *t, union sys_args *args)
{
	if (!(args->caps.a = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0))))
		return KERR_INVALID;
	if (!cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_cap_copy(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	return cap_insert(&t->pd->cspace, *args->caps.a);
}

static int decode_cap_close(struct thread *t, union sys_args *args)
{
	args->caps.sel = (int64_t)arg(t, 0);
	if (args->caps.sel != -1 && !cap_lookup(&t->pd->cspace, args->caps.sel))
		return KERR_INVALID;
	return 0;
}

static long invoke_cap_close(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	if (args->caps.sel != -1)
		cap_clear(&t->pd->cspace, (unsigned)args->caps.sel);
	return 0;
}

static int decode_cap_same(struct thread *t, union sys_args *args)
{
	args->caps.a = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	args->caps.b = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 1));
	return args->caps.a && args->caps.b ? 0 : KERR_INVALID;
}

static long invoke_cap_same(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	return args->caps.a->obj == args->caps.b->obj;
}

/* A number no call has (abi.h says why each). */
static int decode_retired(struct thread *t, union sys_args *args)
{
	return KERR_INVALID;
}

static long invoke_retired(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	PANIC("a retired system call was decoded");
}

/* SYS_CONSOLE_WRITE: the root only (its frames to the host, which no
 * other domain may forge), two readable buffers of the caller's (a frame's
 * head and body), bounded together. */
static int decode_console_write(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	size_t total = 0;
	for (unsigned i = 0; i < 2; i++) {
		uintptr_t buf = arg(t, 2 * i);
		size_t len = arg(t, 2 * i + 1);
		if (len > SYS_CONSOLE_WRITE_MAX - total ||
		    !vm_user_range_ok(&t->pd->space, buf, len, VM_R))
			return KERR_INVALID;
		total += len;
		args->frame.buf[i] = buf;
		args->frame.len[i] = len;
	}
	return 0;
}

/* Every byte as it is, a page at a time (one lookup per page); the ranges
 * were checked readable. */
static void write_raw(struct thread *t, uintptr_t at, size_t len)
{
	uintptr_t end = at + len;
	while (at < end) {
		uintptr_t stop = (at | (PAGE_SIZE - 1)) + 1;
		const char *k = (const char *)vm_user_to_kernel(&t->pd->space,
		                                                at);
		for (; at < end && at < stop; at++)
			sbi_console_putchar(*k++);
	}
}

static long invoke_console_write(struct thread *t, const union sys_args *args,
                                 struct thread **next)
{
	write_raw(t, args->frame.buf[0], args->frame.len[0]);
	write_raw(t, args->frame.buf[1], args->frame.len[1]);
	return (long)(args->frame.len[0] + args->frame.len[1]);
}

static void sys_table_base(struct syscall *table)
{
	table[SYS_PRINT] = (struct syscall){ decode_print, invoke_print };
	table[SYS_EXIT] = (struct syscall){ decode_exit, invoke_exit };
	table[SYS_TICKS] = (struct syscall){ decode_none, invoke_ticks };
	table[SYS_CAP_TYPE] = (struct syscall){ decode_none, invoke_cap_type };
	table[SYS_CAP_COPY] = (struct syscall){ decode_cap_copy,
		                                invoke_cap_copy };
	table[SYS_CAP_CLOSE] = (struct syscall){ decode_cap_close,
		                                 invoke_cap_close };
	table[SYS_CAP_SAME] = (struct syscall){ decode_cap_same,
		                                invoke_cap_same };
	table[SYS_RETIRED_58] = (struct syscall){ decode_retired,
		                                  invoke_retired };
	table[SYS_CONSOLE_WRITE] = (struct syscall){ decode_console_write,
		                                     invoke_console_write };
	table[SYS_OUTPUT_READ] = (struct syscall){ decode_output_read,
		                                   invoke_output_read };
}

void syscall_init(void)
{
	sys_table_base(calls);
	sys_table_ipc(calls);
	sys_table_thread(calls);
	sys_table_mem(calls);
	sys_table_pd(calls);
	sys_table_stream(calls);
	for (unsigned i = 0; i < SYS_COUNT; i++)
		KASSERT(calls[i].decode && calls[i].invoke);
}

struct thread *syscall_dispatch(struct thread *t)
{
	uint64_t nr = t->frame.x[REG_A7];
	if (nr >= SYS_COUNT) {
		t->frame.x[REG_A0] = (uint64_t)(long)KERR_INVALID;
		return 0;
	}
	union sys_args args;
	struct thread *next = 0;
	int err = calls[nr].decode(t, &args);
	long result = err ? err : calls[nr].invoke(t, &args, &next);
	/* A thread that blocked or ended gets its a0 when it wakes, if ever. */
	if (t->state == THREAD_RUNNABLE)
		t->frame.x[REG_A0] = (uint64_t)result;
	return next;
}
