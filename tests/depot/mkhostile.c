/*
 * depot-mkhostile: command-line front of the test-archive writer, for the
 * end-to-end suite (tests/depot/run-suite).
 *   depot-mkhostile <kind> <out.tar.zst>
 *   depot-mkhostile large <files> <bytes-each> <out.tar.zst>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

int main(int argc, char **argv)
{
	int rc;
	if (argc == 5 && strcmp(argv[1], "large") == 0)
		rc = hostile_write_large(argv[4], (unsigned)atoi(argv[2]),
		                         (unsigned)atoi(argv[3]));
	else if (argc == 3)
		rc = hostile_write(argv[1], argv[2]);
	else {
		fputs("usage: depot-mkhostile <kind> <out> | large <files> "
		      "<bytes> <out>\nkinds:",
		      stderr);
		for (size_t i = 0; hostile_kinds[i]; i++)
			fprintf(stderr, " %s", hostile_kinds[i]);
		fputc('\n', stderr);
		return 2;
	}
	if (rc)
		fprintf(stderr, "depot-mkhostile: cannot write '%s'\n",
		        argv[argc - 1]);
	return rc ? 1 : 0;
}
