/*
 * Fuzz target of what core reads from a target's depot before it trusts
 * it (core/manifest.h, core/depot_index.h) and of the decode step of a ROM
 * request (core/rom_request.h): arbitrary bytes as a manifest, and their
 * first 400 bytes as session arguments. Nothing may crash; an accepted
 * manifest lists only top-level module names with 64-digit hashes, each
 * found again by name; the index text stays within 64 KiB and starts
 * with its status word.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depot_index.h"
#include "manifest.h"
#include "rom_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_manifest(const struct manifest *m)
{
	for (size_t i = 0; i < m->count; i++) {
		const struct manifest_file *f = &m->files[i];
		if (!target_module_name_ok(f->name) || strchr(f->name, '/') ||
		    strlen(f->sha256) != MANIFEST_SHA256_HEX ||
		    manifest_find(m, f->name) != f)
			abort();
	}
}

static void check_request(const uint8_t *data, size_t size)
{
	char args[401];
	if (size > 400)
		size = 400;
	memcpy(args, data, size);
	args[size] = '\0';
	struct rom_request r;
	const char *why = NULL;
	if (rom_request_decode(args, "name", &r, &why) != 0) {
		if (!why)
			abort(); /* a refusal always says why */
		return;
	}
	if ((r.from == ROM_FROM_DEPOT || r.from == ROM_FROM_DEPOT_INDEX) !=
	    (r.archive[0] != '\0'))
		abort();
	if (strstr(r.archive, "..") == r.archive || r.archive[0] == '/')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_request(data, size);
	struct manifest m;
	char why[256];
	if (manifest_parse((const char *)data, size, &m, why, sizeof(why)) != 0)
		return 0;
	check_manifest(&m);
	static char index[DEPOT_INDEX_MAX];
	size_t len = depot_index_text(DEPOT_INDEX_INSTALLED, NULL, &m, index);
	if (len > DEPOT_INDEX_MAX || (strncmp(index, "installed\n", 10) != 0 &&
	                              strncmp(index, "damaged ", 8) != 0))
		abort();
	manifest_free(&m);
	return 0;
}
