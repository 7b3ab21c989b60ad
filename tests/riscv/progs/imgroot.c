/*
 * Domains from any memory object (SYS_PD_CREATE_IMAGE), the root: copies
 * boot module 1 (hello.elf, which exits with 42) into a RAM memory object,
 * as core copies a depot archive's binary into a ROM dataspace, and starts
 * it from there under a name of its own. Then the hostile cases, each
 * refused before anything is loaded: the same object with its ELF magic
 * overwritten, a RAM object holding only the image's first page
 * (segments outside it), device memory; and the repaired object starts
 * again. The suite checks the kernel's lines and that every frame comes
 * back (tests/riscv/run-suite, domain_from_ram_image).
 */
#include <kernel/kernel.h>

#include "sys.h"

#define VA_MODULE 0x100000000l
#define VA_RAM    0x200000000l
#define VA_SHORT  0x300000000l
#define UART      0x10000000l

int main(void);

static long map(long mem, long size, long flags, long va)
{
	return sys_call5(SYS_MEM_MAP, mem, 0, size, flags, va);
}

/* Starts a domain named `name` from `mem`: its exit code, or the error. */
static long start(long mem, const char *name)
{
	long len = 0;
	while (name[len])
		len++;
	long id = sys_call6(SYS_PD_CREATE_IMAGE, mem, 0, 0, -1, (long)name,
	                    len);
	if (id < 0)
		return id;
	if (sys_call2(SYS_PD_WAIT, id, -1) != 0)
		return -100;
	long state = sys_call2(SYS_PD_STATE, id, 0);
	sys_call2(SYS_PD_RELEASE, id, 0);
	return state;
}

int main(void)
{
	long module = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	long size = module < 0 ? module : sys_call2(SYS_MEM_SIZE, module, 0);
	if (size <= 4096 || map(module, size, KMEM_READ, VA_MODULE) != 0)
		return 1;
	long ram = sys_call2(SYS_MEM_CREATE, size, 0);
	long part = sys_call2(SYS_MEM_CREATE, 4096, 0);
	if (ram < 0 || part < 0 ||
	    map(ram, size, KMEM_READ | KMEM_WRITE, VA_RAM) != 0 ||
	    map(part, 4096, KMEM_READ | KMEM_WRITE, VA_SHORT) != 0)
		return 2;
	const char *from = (const char *)VA_MODULE;
	char *to = (char *)VA_RAM, *short_copy = (char *)VA_SHORT;
	for (long i = 0; i < size; i++)
		to[i] = from[i];
	for (long i = 0; i < 4096; i++)
		short_copy[i] = from[i];

	sys_put_num("ram image: ", start(ram, "fromram"));
	to[1] = 'X';
	sys_put_num("no magic: ", start(ram, "nomagic"));
	sys_put_num("first page only: ", start(part, "firstpage"));
	long device = sys_call2(SYS_IOMEM_CREATE, UART, 4096);
	sys_put_num("device memory: ",
	            device < 0 ? -100 : start(device, "device"));
	to[1] = 'E';
	sys_put_num("repaired: ", start(ram, "repaired"));

	sys_call2(SYS_MEM_UNMAP, VA_MODULE, size);
	sys_call2(SYS_MEM_UNMAP, VA_RAM, size);
	sys_call2(SYS_MEM_UNMAP, VA_SHORT, 4096);
	return 0;
}
