/*
 * libFuzzer target for libtuf's canonical JSON writer: arbitrary bytes are
 * parsed strictly and canonicalized; when the canonical form is itself JSON
 * (no raw control characters), canonicalizing it again must give the same
 * bytes. A difference aborts: signatures would not verify across readers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *once, *twice;
	size_t n1, n2;
	if (tuf_canonicalize(data, size, &once, &n1, NULL) != TUF_OK)
		return 0;
	int has_controls = 0;
	for (size_t k = 0; k < n1; k++)
		has_controls |= once[k] < 0x20;
	if (!has_controls) {
		if (tuf_canonicalize(once, n1, &twice, &n2, NULL) != TUF_OK)
			abort();
		if (n1 != n2 || memcmp(once, twice, n1) != 0)
			abort();
		free(twice);
	}
	free(once);
	return 0;
}
