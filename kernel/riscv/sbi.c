/*
 * SBI calls: an ecall with the extension id in a7, the function id in a6
 * and arguments in a0..; the firmware answers an error in a0, a value in
 * a1. See sbi.h for what the kernel uses them for.
 */
#include "sbi.h"

#define SBI_EXT_LEGACY_PUTCHAR 0x01ul
#define SBI_EXT_TIME           0x54494D45ul

static long sbi_call(unsigned long ext, unsigned long fid, unsigned long arg0)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = 0;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1)
	                 : "r"(a6), "r"(a7)
	                 : "memory");
	return (long)a0;
}

void sbi_console_putchar(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c);
}

void sbi_set_timer(uint64_t when)
{
	sbi_call(SBI_EXT_TIME, 0, when);
}
