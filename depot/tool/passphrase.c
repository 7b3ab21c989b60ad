/*
 * Reading a key passphrase from a file (see passphrase.h).
 */
#include <stdio.h>
#include <string.h>

#include "passphrase.h"

int passphrase_read(const char *file, char out[PASSPHRASE_MAX])
{
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "depot: cannot read passphrase file '%s': %m\n",
		        file);
		return 1;
	}
	if (!fgets(out, PASSPHRASE_MAX, f))
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	if (!out[0]) {
		fprintf(stderr,
		        "depot: empty passphrase in '%s': write the "
		        "passphrase on its first line\n",
		        file);
		return 1;
	}
	return 0;
}
