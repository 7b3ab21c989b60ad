/*
 * The trap frame: every register a U-mode thread owns, saved by entry.S on
 * each trap and restored by frame_return(). The layout is shared with the
 * assembly (FRAME_* offsets below, checked by static assertions), so change
 * both together.
 *
 * Invariant: a frame handed to frame_return() has sstatus.SPP clear (it
 * returns to U-mode) and a kernel stack pointer in ksp.
 */
#ifndef RISCV_FRAME_H
#define RISCV_FRAME_H

#define FRAME_SEPC    (32 * 8)
#define FRAME_SSTATUS (33 * 8)
#define FRAME_SCAUSE  (34 * 8)
#define FRAME_STVAL   (35 * 8)
#define FRAME_KSP     (36 * 8)
#define FRAME_SIZE    (37 * 8)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct frame {
	uint64_t x[32]; /* x[0] unused; x[2] is the user sp */
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	uint64_t ksp; /* kernel stack to run the trap handler on */
};

_Static_assert(offsetof(struct frame, sepc) == FRAME_SEPC, "frame layout");
_Static_assert(offsetof(struct frame, ksp) == FRAME_KSP, "frame layout");
_Static_assert(sizeof(struct frame) == FRAME_SIZE, "frame layout");

/* Register names by number, for the ABI. */
enum {
	REG_RA = 1,
	REG_SP = 2,
	REG_A0 = 10,
	REG_A1,
	REG_A2,
	REG_A3,
	REG_A4,
	REG_A5,
	REG_A6,
	REG_A7
};

/* Restores `f` and returns to U-mode with sret (entry.S). */
_Noreturn void frame_return(struct frame *f);

#endif /* __ASSEMBLER__ */
#endif /* RISCV_FRAME_H */
