/*
 * The kernel's only assembly: the boot entry that OpenSBI jumps to in
 * S-mode, the trap vector, and the return to U-mode. Everything else is C.
 *
 * The kernel has one stack (like seL4): a trap from U-mode saves the whole
 * register file into the current thread's frame (struct frame, frame.h),
 * switches to the kernel stack and calls trap_user(), which never returns
 * but ends in frame_return() of whichever thread runs next. Nothing of a
 * thread lives on the kernel stack across traps, so switching threads is
 * choosing another frame.
 *
 * sscratch tells where a trap came from: the current frame while U-mode
 * runs, 0 while the kernel runs. A trap from the kernel itself is a bug
 * (the kernel runs with interrupts off) and goes to trap_kernel(), which
 * panics.
 */
#include "frame.h"

	.section .text.boot, "ax"
	.globl _start
_start:
	/* a0 = hart id, a1 = device tree; both kept for kmain. */
	la	sp, boot_stack_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	csrw	sscratch, zero
	call	kmain
3:	wfi
	j	3b

	.text
	.globl trap_vector
	.balign 4
trap_vector:
	csrrw	sp, sscratch, sp
	beqz	sp, from_kernel
	/* sp = frame of the current thread, sscratch = its sp */
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	csrr	t0, sscratch
	sd	t0, 2*8(sp)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, FRAME_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, FRAME_STVAL(sp)
	mv	a0, sp
	ld	sp, FRAME_KSP(sp)
	call	trap_user
	/* trap_user never returns */
from_kernel:
	csrrw	sp, sscratch, sp	/* sp back, sscratch 0 again */
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	trap_kernel

	/* frame_return(struct frame *a0): back to U-mode, never returns. */
	.globl frame_return
frame_return:
	ld	t0, FRAME_SEPC(a0)
	csrw	sepc, t0
	ld	t0, FRAME_SSTATUS(a0)
	csrw	sstatus, t0
	csrw	sscratch, a0
	ld	x1, 1*8(a0)
	ld	x2, 2*8(a0)
	ld	x3, 3*8(a0)
	ld	x4, 4*8(a0)
	ld	x5, 5*8(a0)
	ld	x6, 6*8(a0)
	ld	x7, 7*8(a0)
	ld	x8, 8*8(a0)
	ld	x9, 9*8(a0)
	ld	x11, 11*8(a0)
	ld	x12, 12*8(a0)
	ld	x13, 13*8(a0)
	ld	x14, 14*8(a0)
	ld	x15, 15*8(a0)
	ld	x16, 16*8(a0)
	ld	x17, 17*8(a0)
	ld	x18, 18*8(a0)
	ld	x19, 19*8(a0)
	ld	x20, 20*8(a0)
	ld	x21, 21*8(a0)
	ld	x22, 22*8(a0)
	ld	x23, 23*8(a0)
	ld	x24, 24*8(a0)
	ld	x25, 25*8(a0)
	ld	x26, 26*8(a0)
	ld	x27, 27*8(a0)
	ld	x28, 28*8(a0)
	ld	x29, 29*8(a0)
	ld	x30, 30*8(a0)
	ld	x31, 31*8(a0)
	ld	x10, 10*8(a0)
	sret

	.section .bss
	.balign 16
boot_stack:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:
