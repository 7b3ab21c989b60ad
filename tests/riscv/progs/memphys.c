/*
 * SYS_MEM_PHYS (kernel/riscv/abi.h), the root: the physical addresses of
 * a RAM object's bytes, page by page, in RAM and apart; refused past the
 * object's end, for device memory, a boot module and an endpoint. Then
 * boot module 1 (memphyschild.c), which is refused the call. The suite
 * checks the lines (run-suite, mem_phys_for_the_root); the virtio
 * console's DMA (core/riscv/virtio_console.c) shows that the addresses
 * are the frames' (the control_* tests).
 */
#include <stdint.h>

#include "sys.h"

#define PAGE 4096L
#define RAM_BASE 0x80000000L    /* arch.h */
#define MODULE_BASE 0x87000000L /* arch.h: the frames end below */
#define UART0_BASE 0x10000000L  /* arch.h */

int main(void);

static long phys(long sel, long offset)
{
	return sys_call2(SYS_MEM_PHYS, sel, offset);
}

int main(void)
{
	long mem = sys_call2(SYS_MEM_CREATE, 3 * PAGE, 0);
	if (mem < 0)
		return 1;
	long p0 = phys(mem, 0), p1 = phys(mem, PAGE),
	     p2 = phys(mem, 2 * PAGE + 5);
	sys_put_num("page 0 page-aligned in RAM: ",
	            p0 >= RAM_BASE && p0 < MODULE_BASE && p0 % PAGE == 0);
	sys_put_num("page 1 in RAM: ", p1 >= RAM_BASE && p1 < MODULE_BASE);
	sys_put_num("byte 5 of page 2: ", p2 % PAGE);
	sys_put_num("three frames apart: ",
	            p0 != p1 && p1 != p2 - 5 && p0 != p2 - 5);
	sys_put_num("byte 100 of page 0: ", phys(mem, 100) - p0);
	sys_put_num("past the end: ", phys(mem, 3 * PAGE));
	long image = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	sys_put_num("a boot module: ", phys(image, 0));
	long dev = sys_call2(SYS_IOMEM_CREATE, UART0_BASE, PAGE);
	sys_put_num("device memory: ", phys(dev, 0));
	long ep = sys_ep_create();
	sys_put_num("an endpoint: ", phys(ep, 0));

	long id = sys_call6(SYS_PD_CREATE_IMAGE, image, 0, 0, -1, 0, 0);
	if (id < 0 || sys_call2(SYS_PD_WAIT, id, -1) != 0)
		return 2;
	sys_put_num("child ended: ", sys_call2(SYS_PD_STATE, id, 0));
	return 0;
}
