/*
 * The kernel's C entry, called by entry.S on the boot stack with the MMU
 * off: sets up the trap vector, frames, the kernel address space and the
 * tick, starts the root domain from the first boot module and leaves for
 * it. The root is what core will be; until then a test program.
 */
#include "arch.h"
#include "bootmod.h"
#include "console.h"
#include "finisher.h"
#include "page.h"
#include "thread.h"
#include "timer.h"
#include "vm.h"

extern char trap_vector[];

/* Global with a reason: the modules are the system's ROMs for its whole
 * life, and domain names point into them. */
static struct bootmods boot_modules;

static void refuse_boot(const char *why)
{
	kprintf("kernel: boot module refused: %s\n", why);
	finish(FINISH_NO_MODULE);
}

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
	if (bootmod_decode((const uint8_t *)MODULE_BASE, MODULE_MAX, &boot_modules, &why))
		refuse_boot(why);
	for (unsigned i = 0; i < boot_modules.count; i++)
		kprintf("kernel: boot module %s, %lu bytes\n", boot_modules.mod[i].name,
		        (unsigned long)boot_modules.mod[i].size);
	const struct bootmod *root = &boot_modules.mod[0];
	if (pd_create(root->name, root->data, root->size, &why))
		refuse_boot(why);
	timer_init();
	kprintf("kernel: entering the root domain %s\n", root->name);
	sched_run(0);
}
