/*
 * picolibc test program: formats with the C library's snprintf, uses its
 * string functions and errno (thread-local, so tp must be set up), all
 * built against Debian's picolibc for riscv64 and run on our kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

int main(void);

int main(void)
{
	char line[96];
	errno = 0;
	long v = strtol("99999999999999999999999", 0, 10);
	int overflow = errno == ERANGE;
	int n = snprintf(line, sizeof line,
	                 "picolibc: %d + %d = %d, %s, strtol overflow %s\n", 40,
	                 2, 40 + 2, "formatted", overflow ? "seen" : "missed");
	if (n <= 0 || (size_t)n >= sizeof line || v == 0)
		return 1;
	sys_print(line, strlen(line));
	return overflow ? 0 : 2;
}
