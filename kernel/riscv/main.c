/*
 * The kernel's C entry, called by entry.S on the boot stack with the MMU
 * off: sets up the trap vector, frames, the kernel address space and the
 * tick, starts the root domain from the boot module and leaves for it.
 * The boot module is what core will be; until then a test program.
 */
#include "arch.h"
#include "console.h"
#include "finisher.h"
#include "page.h"
#include "thread.h"
#include "timer.h"
#include "vm.h"

extern char trap_vector[];

_Noreturn void kmain(uint64_t hart, uint64_t dtb);

_Noreturn void kmain(uint64_t hart, uint64_t dtb)
{
	kprintf("kernel: riscv64 boot on hart %lu, device tree at %p\n",
	        (unsigned long)hart, (void *)dtb);
	csr_write(stvec, (uintptr_t)trap_vector);
	page_init();
	vm_init();
	kprintf("kernel: sv39 on, %lu frames free\n", (unsigned long)page_free_count());
	const char *why = "";
	int err = pd_create("root", (const uint8_t *)MODULE_BASE, MODULE_MAX, &why);
	if (err) {
		kprintf("kernel: boot module refused: %s\n", why);
		finish(FINISH_NO_MODULE);
	}
	timer_init();
	kprintf("kernel: entering the root domain\n");
	sched_run(0);
}
