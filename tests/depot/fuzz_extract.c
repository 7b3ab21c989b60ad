/*
 * libFuzzer target: safe installation of an arbitrary archive file
 * (depot/lib/extract.c, install.c). Each input is written to a file and
 * installed into a scratch depot with small limits; whatever happens, the
 * depot must hold either the complete archive or nothing, and no file may
 * appear outside it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "depot/depot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One scratch directory for the whole fuzzing run. */
	static char root[] = "/tmp/depot-fuzz-XXXXXX";
	static int ready;
	if (!ready && !mkdtemp(root))
		abort();
	ready = 1;
	char archive[64], depot[64];
	snprintf(archive, sizeof archive, "%s/input", root);
	snprintf(depot, sizeof depot, "%s/depot", root);
	FILE *f = fopen(archive, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	struct depot_name name;
	struct depot_diag diag;
	struct depot_limits limits = { .max_bytes = 1 << 20,
		                       .max_entries = 1000 };
	depot_name_parse("fuzz/raw/input/1", &name, NULL);
	if (depot_install(depot, &name, archive, &limits, &diag) == DEPOT_OK &&
	    depot_verify(depot, &name, &diag) != DEPOT_OK)
		abort(); /* installed content must match its own manifest */
	depot_remove(depot, &name, &diag);
	return 0;
}
