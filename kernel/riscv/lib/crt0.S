/* The entry of a program linked with libkernel for riscv: tp at the
 * main thread's TLS block (component.ld), the count of boot capabilities
 * the kernel passes in a0 kept for kboot_cap() (process.c), then main;
 * its return value goes to exit(), which flushes stdio.
 *
 * It also names libkernel's sbrk (sbrk.c: the heap from the domain's
 * quota), so the link takes that one from libkernel.a before it searches
 * picolibc's libc.a, whose sbrk wants a heap in the image
 * (__heap_start, __heap_end) that component.ld does not have. */
	.globl	sbrk
	.section .rodata.heap, "a"
	.balign	8
	.quad	sbrk
	.section .text.start, "ax"
	.globl _start
_start:
	la	tp, __tdata_start
	la	t0, kboot_cap_count
	sd	a0, 0(t0)
	li	a0, 0
	li	a1, 0
	call	main
	call	exit
1:	j	1b
