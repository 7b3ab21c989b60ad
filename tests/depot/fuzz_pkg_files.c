/*
 * libFuzzer target: the parsers of a pkg's files from untrusted archives,
 * the runtime JSON and the archives list (depot/lib/pkg.c), and archive
 * names (name.c). Any input must give 0 or an error code, never a crash.
 */
#include <stddef.h>
#include <stdint.h>

#include "depot/depot.h"

static int ignore(void *ctx, const struct depot_name *name)
{
	(void)ctx;
	(void)name;
	return DEPOT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct depot_diag diag;
	depot_runtime_validate((const char *)data, size, &diag);
	depot_archives_parse((const char *)data, size, ignore, NULL, &diag);
	return 0;
}
