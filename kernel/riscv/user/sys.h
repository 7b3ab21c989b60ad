/*
 * System calls for user programs of the riscv kernel (abi.h), as inline
 * functions. Test programs use them directly; components will reach the
 * kernel only through libruntime and the kernel interface (README.md).
 */
#ifndef RISCV_USER_SYS_H
#define RISCV_USER_SYS_H

#include <stddef.h>

#include "../abi.h"

static inline long sys_call2(long nr, long a0, long a1)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r7 __asm__("a7") = nr;
	__asm__ volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
	return r0;
}

static inline long sys_print(const char *buf, size_t len)
{
	return sys_call2(SYS_PRINT, (long)buf, (long)len);
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

static inline _Noreturn void sys_exit(int code)
{
	sys_call2(SYS_EXIT, code, 0);
	for (;;)
		;
}

#endif /* RISCV_USER_SYS_H */
