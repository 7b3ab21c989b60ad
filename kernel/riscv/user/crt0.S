/* A user program's entry: the kernel starts it at _start with sp at the
 * top of its stack; tp is set to the thread-local block (user.ld) for
 * picolibc; main's return value becomes its exit code. Threads made with
 * SYS_THREAD_CREATE have no TLS block of their own yet. */
#include "../abi.h"

	.section .text.start, "ax"
	.globl _start
_start:
	la	tp, __tls_base
	call	main
	li	a7, SYS_EXIT
	ecall
1:	j	1b
