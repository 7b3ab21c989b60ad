/*
 * Panics and assertions. An impossible state stops the machine at once
 * with FINISH_PANIC (finisher.h) after one console line naming the place;
 * assertions stay on in every build, as the invariants they check are
 * the kernel's whole argument for its safety.
 */
#ifndef RISCV_PANIC_H
#define RISCV_PANIC_H

_Noreturn void panic(const char *file, int line, const char *what);

#define KASSERT(cond) \
	((cond) ? (void)0 : panic(__FILE__, __LINE__, "assertion failed: " #cond))
#define PANIC(what) panic(__FILE__, __LINE__, (what))

#endif /* RISCV_PANIC_H */
