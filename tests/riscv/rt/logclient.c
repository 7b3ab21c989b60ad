/*
 * The client of logroot.c: writes three lines to the LOG object it got as
 * its boot capability, through the generated stub of libruntime, the
 * second one longer than the kernel's register message (800 bytes), and
 * checks that a line over the interface's bound is refused by the stub.
 */
#include <runtime/rpc.h>

#include "log_rpc.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
	kcap_t log = kboot_cap(0);
	if (!kcap_valid(log)) {
		printf("no boot capability\n");
		return 2;
	}
	static char line[LOG_WRITE_LINE_MAX + 2];
	memset(line, 'x', sizeof line - 1);
	int over = log_write(log, line); /* 1001 bytes */
	printf("over-long line: %s\n", rpc_strerror(&log_rpc, over));
	memcpy(line + 792, "the-end!", 9);
	int rc = log_write(log, "hello from libruntime on riscv64");
	if (!rc)
		rc = log_write(log, line);
	if (!rc)
		rc = log_write(log, "bye");
	printf("calls: %s\n", rpc_strerror(&log_rpc, rc));
	return rc ? 1 : 0;
}
