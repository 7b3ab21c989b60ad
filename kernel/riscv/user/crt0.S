/* A user program's entry: the kernel starts it at _start with sp at the
 * top of its stack; main's return value becomes its exit code. */
#include "../abi.h"

	.section .text.start, "ax"
	.globl _start
_start:
	call	main
	li	a7, SYS_EXIT
	ecall
1:	j	1b
