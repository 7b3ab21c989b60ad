/*
 * System calls for user programs of the riscv kernel (abi.h), as inline
 * functions. Test programs use them directly; components will reach the
 * kernel only through libruntime and the kernel interface (README.md).
 */
#ifndef RISCV_USER_SYS_H
#define RISCV_USER_SYS_H

#include <stddef.h>

#include "../abi.h"

/* Run before every system call below: libkernel sends a reply it has
 * held back for SYS_REPLY_WAIT here (lib/lib.h); nothing for test
 * programs. */
#ifndef SYS_BEFORE
#define SYS_BEFORE() ((void)0)
#endif

static inline long sys_call2(long nr, long a0, long a1)
{
	SYS_BEFORE();
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r7 __asm__("a7") = nr;
	__asm__ volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
	return r0;
}

static inline long sys_call3(long nr, long a0, long a1, long a2)
{
	SYS_BEFORE();
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
	                 : "+r"(r0)
	                 : "r"(r1), "r"(r2), "r"(r7)
	                 : "memory");
	return r0;
}

static inline long sys_call4(long nr, long a0, long a1, long a2, long a3)
{
	SYS_BEFORE();
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
	                 : "+r"(r0)
	                 : "r"(r1), "r"(r2), "r"(r3), "r"(r7)
	                 : "memory");
	return r0;
}

static inline long sys_call6(long nr, long a0, long a1, long a2, long a3,
                             long a4, long a5)
{
	SYS_BEFORE();
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r4 __asm__("a4") = a4;
	register long r5 __asm__("a5") = a5;
	register long r7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
	                 : "+r"(r0)
	                 : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
	                 : "memory");
	return r0;
}

/* Five arguments: the sixth register is 0, which no such call reads. */
static inline long sys_call5(long nr, long a0, long a1, long a2, long a3,
                             long a4)
{
	return sys_call6(nr, a0, a1, a2, a3, a4, 0);
}

static inline long sys_print(const char *buf, size_t len)
{
	return sys_call3(SYS_PRINT, (long)buf, (long)len, OUTPUT_STDOUT);
}

static inline long sys_puts(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return sys_print(s, n);
}

static inline long sys_ticks(void)
{
	return sys_call2(SYS_TICKS, 0, 0);
}

/* IPC: four words and at most one capability (abi.h). */
struct sys_msg {
	long cap; /* in: selector to send or -1; out: selector received or < 0 */
	long w[4];
};

/* One IPC system call with the message in and out of a1..a5. */
static inline long sys_ipc(long nr, long sel, struct sys_msg *m)
{
	SYS_BEFORE();
	register long r0 __asm__("a0") = sel;
	register long r1 __asm__("a1") = m->cap;
	register long r2 __asm__("a2") = m->w[0];
	register long r3 __asm__("a3") = m->w[1];
	register long r4 __asm__("a4") = m->w[2];
	register long r5 __asm__("a5") = m->w[3];
	register long r7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
	                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
	                   "+r"(r5)
	                 : "r"(r7)
	                 : "memory");
	m->cap = r1;
	m->w[0] = r2;
	m->w[1] = r3;
	m->w[2] = r4;
	m->w[3] = r5;
	return r0;
}

static inline long sys_ep_create(void)
{
	return sys_call2(SYS_EP_CREATE, 0, 0);
}
static inline long sys_cap_type(long sel)
{
	return sys_call2(SYS_CAP_TYPE, sel, 0);
}
static inline long sys_pd_create(long module, long boot_cap)
{
	return sys_call2(SYS_PD_CREATE, module, boot_cap);
}

static inline long sys_thread_create(void (*entry)(long), void *stack_top,
                                     long arg)
{
	SYS_BEFORE();
	register long r0 __asm__("a0") = (long)entry;
	register long r1 __asm__("a1") = (long)stack_top;
	register long r2 __asm__("a2") = arg;
	register long r7 __asm__("a7") = SYS_THREAD_CREATE;
	__asm__ volatile("ecall"
	                 : "+r"(r0)
	                 : "r"(r1), "r"(r2), "r"(r7)
	                 : "memory");
	return r0;
}

static inline _Noreturn void sys_thread_exit(void)
{
	sys_call2(SYS_THREAD_EXIT, 0, 0);
	for (;;)
		;
}

static inline long sys_signal_create(void)
{
	return sys_call2(SYS_SIGNAL_CREATE, 0, 0);
}
static inline long sys_signal_submit(long sel, long count)
{
	return sys_call2(SYS_SIGNAL_SUBMIT, sel, count);
}
static inline long sys_signal_wait(long sel)
{
	return sys_call2(SYS_SIGNAL_WAIT, sel, 0);
}

static inline long sys_cap_copy(long sel)
{
	return sys_call2(SYS_CAP_COPY, sel, 0);
}
static inline long sys_cap_close(long sel)
{
	return sys_call2(SYS_CAP_CLOSE, sel, 0);
}
static inline long sys_cap_same(long a, long b)
{
	return sys_call2(SYS_CAP_SAME, a, b);
}

/* SYS_STREAM_CREATE (the root only): a pair's first end's selector or a
 * KERR_*; the second end's selector in *second. */
static inline long sys_stream_create(long *second)
{
	SYS_BEFORE();
	register long r0 __asm__("a0") = 0;
	register long r1 __asm__("a1") = 0;
	register long r7 __asm__("a7") = SYS_STREAM_CREATE;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r7) : "memory");
	*second = r1;
	return r0;
}

static inline unsigned long rd_instret(void)
{
	unsigned long v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

/* A decimal number into buf (at least 21 bytes); returns its length. */
static inline size_t fmt_long(char *buf, long v)
{
	char tmp[21];
	size_t n = 0, len = 0;
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	return len;
}

/* Prints `text` followed by the number `v` and a newline. */
static inline void sys_put_num(const char *text, long v)
{
	char line[128];
	size_t n = 0;
	while (*text && n < sizeof line - 23)
		line[n++] = *text++;
	n += fmt_long(line + n, v);
	line[n++] = '\n';
	sys_print(line, n);
}

static inline _Noreturn void sys_exit(int code)
{
	sys_call2(SYS_EXIT, code, 0);
	for (;;)
		;
}

#endif /* RISCV_USER_SYS_H */
