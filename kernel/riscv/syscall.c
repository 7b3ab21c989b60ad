/*
 * The system-call table (syscall.h). A decode function returns 0 or a
 * KERR_* value and fills `union sys_args`; the invoke function gets only
 * decoded arguments and returns the result for a0. The number is checked
 * against the table before anything else.
 */
#include "abi.h"
#include "arch.h"
#include "console.h"
#include "kernel/kernel.h"
#include "syscall.h"
#include "timer.h"

union sys_args {
	struct { char buf[SYS_PRINT_MAX]; size_t len; } print;
	uint32_t exit_status;
};

struct syscall {
	int (*decode)(struct thread *t, union sys_args *args);
	long (*invoke)(struct thread *t, const union sys_args *args);
};

static uint64_t arg(const struct thread *t, unsigned i)
{
	return t->frame.x[REG_A0 + i];
}

/* SYS_PRINT: the buffer must be the caller's, readable, and short. */
static int decode_print(struct thread *t, union sys_args *args)
{
	uintptr_t buf = arg(t, 0);
	size_t len = arg(t, 1);
	if (len > SYS_PRINT_MAX || !vm_user_range_ok(&t->pd->space, buf, len, VM_R))
		return KERR_INVALID;
	for (size_t i = 0; i < len; i++)
		args->print.buf[i] = *(const char *)vm_user_to_kernel(&t->pd->space, buf + i);
	args->print.len = len;
	return 0;
}

static long invoke_print(struct thread *t, const union sys_args *args)
{
	kprintf("[%s] ", t->pd->name);
	console_write_untrusted(args->print.buf, args->print.len);
	return (long)args->print.len;
}

static int decode_exit(struct thread *t, union sys_args *args)
{
	args->exit_status = (uint32_t)arg(t, 0) & 127u;
	return 0;
}

static long invoke_exit(struct thread *t, const union sys_args *args)
{
	pd_end(t->pd, args->exit_status);
	return 0;
}

static int decode_none(struct thread *t, union sys_args *args)
{
	return 0;
}

static long invoke_ticks(struct thread *t, const union sys_args *args)
{
	return (long)timer_ticks();
}

static const struct syscall table[SYS_COUNT] = {
	[SYS_PRINT] = { decode_print, invoke_print },
	[SYS_EXIT]  = { decode_exit, invoke_exit },
	[SYS_TICKS] = { decode_none, invoke_ticks },
};

int syscall_dispatch(struct thread *t)
{
	uint64_t nr = t->frame.x[REG_A7];
	if (nr >= SYS_COUNT) {
		t->frame.x[REG_A0] = (uint64_t)(long)KERR_INVALID;
		return 1;
	}
	union sys_args args;
	int err = table[nr].decode(t, &args);
	long result = err ? err : table[nr].invoke(t, &args);
	if (t->state != THREAD_RUNNABLE)
		return 0;
	t->frame.x[REG_A0] = (uint64_t)result;
	return 1;
}
