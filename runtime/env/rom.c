/*
 * ROM sessions of a component (env.h): open through the parent, map the
 * module's dataspace read-only, and remap it when its version changes.
 */
#include <runtime/env.h>

#include "rom_rpc.h"

#include <string.h>
#include <stdio.h>

static void unmap(env_rom_t *rom)
{
	if (rom->data)
		kmem_unmap((void *)rom->data, rom->mapped);
	kcap_close(rom->dataspace);
	rom->dataspace = KCAP_INVALID;
	rom->data = NULL;
	rom->size = rom->mapped = 0;
}

int env_rom_update(env_rom_t *rom)
{
	kcap_t ds;
	uint64_t size;
	uint32_t version;
	int rc = rom_dataspace(rom->connection.cap, &ds, &size, &version);
	if (rc == ROM_ERR_UNAVAILABLE) {
		unmap(rom);
		return 0;
	}
	if (rc != 0)
		return rc;
	size_t mapped;
	void *at = NULL;
	rc = kmem_size(ds, &mapped);
	if (rc == 0 && (size > mapped))
		rc = KERR_INVALID;
	if (rc == 0)
		rc = kmem_map(ds, 0, mapped, KMEM_READ, NULL, &at);
	if (rc != 0) {
		kcap_close(ds);
		return rc;
	}
	unmap(rom);
	rom->dataspace = ds;
	rom->data = at;
	rom->mapped = mapped;
	rom->size = (size_t)size;
	rom->version = version;
	return 0;
}

int env_rom_open(env_t *env, const char *name, env_rom_t *rom)
{
	char args[200];
	memset(rom, 0, sizeof(*rom));
	rom->dataspace = rom->connection.cap = KCAP_INVALID;
	size_t len = strlen(name);
	if (len + 10 > sizeof(args) || strchr(name, '"') || strchr(name, '\\'))
		return KERR_INVALID;
	snprintf(args, sizeof(args), "label=\"%s\"", name);
	int rc = connection_open(&rom->connection, env, "ROM", args);
	if (rc != 0)
		return rc;
	rc = env_rom_update(rom);
	if (rc != 0)
		env_rom_close(rom);
	return rc;
}

int env_rom_sigh(env_rom_t *rom, kcap_t signal)
{
	return rom_sigh(rom->connection.cap, signal);
}

void env_rom_close(env_rom_t *rom)
{
	unmap(rom);
	connection_close(&rom->connection);
}
