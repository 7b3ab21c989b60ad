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
#include "irq.h"
#include "page.h"
#include "syscall.h"
#include "thread.h"
#include "timer.h"
#include "vm.h"

extern char trap_vector[];

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
	syscall_init();
	page_init();
	vm_init();
	kprintf("kernel: sv39 on, %lu frames free\n",
	        (unsigned long)page_free_count());
	const char *why = "";
	/* The image may fill its window: the device tree must lie above it. */
	if (dtb >= MODULE_BASE && dtb < MODULE_BASE + MODULE_MAX)
		refuse_boot("the device tree lies inside the boot image's "
		            "window (less than 128 MiB of RAM?)");
	if (bootmod_init((const uint8_t *)MODULE_BASE, MODULE_MAX, &why))
		refuse_boot(why);
	const struct bootmod *m;
	for (unsigned i = 0; (m = bootmod_get(i)); i++)
		kprintf("kernel: boot module %s, %lu bytes\n", m->name,
		        (unsigned long)m->size);
	const struct bootmod *root = bootmod_get(0);
	struct elf_image image = { .bytes = root->data, .size = root->size };
	if (pd_create(root->name, &image, 0, 0, 0, &why))
		refuse_boot(why);
	/* User programs may read instret and cycle (rdinstret): the IPC
	 * bench counts guest instructions. A timing channel, see README.md. */
	csr_write(scounteren, 7);
	timer_init();
	irq_init();
	kprintf("kernel: entering the root domain %s\n", root->name);
	sched_run(0, 0);
}
