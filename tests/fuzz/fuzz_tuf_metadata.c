/*
 * libFuzzer target for libtuf's metadata parser: arbitrary bytes go through
 * the strict JSON reader, the TUF shape checks and, when they parse as root
 * or targets metadata, threshold verification against themselves. Any crash,
 * sanitizer report or leak is a bug; refusals are the expected outcome.
 */
#include <stddef.h>
#include <stdint.h>

#include "tuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *type = NULL;
	struct tuf_error e;
	if (tuf_metadata_check(data, size, &type, &e) != TUF_OK)
		return 0;
	tuf_verify_role(data, size, type[0] == 'r' ? "root" : "x", data, size,
	                &e);
	return 0;
}
