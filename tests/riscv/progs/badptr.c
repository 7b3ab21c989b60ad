/* System-call test program: every print with a buffer the caller may not
 * read, or too long, and an unknown call number, must be refused with
 * KERR_INVALID (-1) and print nothing; a good print still works after. */
#include "sys.h"

int main(void);

static char data[64] = "a writable buffer";

int main(void)
{
	static const struct {
		unsigned long ptr, len;
	} bad[] = {
		{ 0x80200000ul, 16 },            /* kernel memory */
		{ 0x50000000ul, 4 },             /* unmapped user address */
		{ 0, 4 },                        /* null */
		{ 0xffffffffffffff00ul, 0x200 }, /* wraps around */
		{ 0x7ffffff0ul, 0x20 },          /* runs off the stack top */
		{ 0x40000000ul, SYS_PRINT_MAX + 1 }, /* too long */
	};
	int refused = 0, total = 0;
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++, total++)
		refused += sys_print((const char *)bad[i].ptr, bad[i].len) ==
		           -1;
	/* the end of the data page: the next page is not mapped */
	unsigned long end = ((unsigned long)data + 4096) & ~4095ul;
	refused += sys_print((const char *)end - 8, 16) == -1;
	total++;
	refused += sys_call2(99, 0, 0) == -1;
	total++;
	char line[] = "refused 0 of 0\n";
	line[8] = (char)('0' + refused);
	line[13] = (char)('0' + total);
	sys_puts(line);
	sys_print(data, 17);
	sys_puts("\n");
	return refused == total ? 0 : 1;
}
