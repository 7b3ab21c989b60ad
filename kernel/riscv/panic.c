/*
 * Panics (panic.h): translation off, so that a broken page table cannot
 * hide the console or the finisher (the kernel runs identity mapped), one
 * console line, then the finisher. A panic inside a panic stops quietly.
 */
#include "arch.h"
#include "console.h"
#include "finisher.h"
#include "panic.h"

_Noreturn void panic(const char *file, int line, const char *what)
{
	/* Global state with a reason: the one thing a second panic must know. */
	static int panicking;
	csr_write(satp, 0);
	sfence_vma();
	if (panicking++)
		for (;;)
			__asm__ volatile("wfi");
	kprintf("kernel: panic at %s:%d: %s\n", file, line, what);
	finish(FINISH_PANIC);
}
