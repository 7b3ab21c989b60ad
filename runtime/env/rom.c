/*
 * ROM sessions of a component (env.h): open through the parent, map the
 * module's dataspace read-only, and remap it when its version changes.
 * A ROM session that ended under the component (its server went away, or
 * the parent moved it) is opened anew and its signal registered again
 * (connection.h), once per call. A ROM with a signal is watched as well
 * (connection_watch): when its session ends, the runtime opens it anew,
 * registers the signal at the new session and submits it, so a client
 * that only waits for its signal is woken and reads the new content.
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

/* Opens the session anew and registers the signal again. */
static int reopen(env_rom_t *rom)
{
	int rc = connection_reopen(&rom->connection);
	if (rc == 0 && kcap_valid(rom->sigh))
		rc = rom_sigh(rom->connection.cap, rom->sigh);
	return rc;
}

/* rom.dataspace, on a session opened anew if the old one is gone. */
static int fetch(env_rom_t *rom, kcap_t *ds, uint64_t *size, uint32_t *version)
{
	int rc =
		kcap_valid(rom->connection.cap)
			? rom_dataspace(rom->connection.cap, ds, size, version)
			: KERR_REVOKED; /* an earlier reopen failed: try again */
	if (rc != KERR_REVOKED)
		return rc;
	rc = reopen(rom);
	return rc != 0 ? rc
	               : rom_dataspace(rom->connection.cap, ds, size, version);
}

int env_rom_update(env_rom_t *rom)
{
	kcap_t ds;
	uint64_t size;
	uint32_t version;
	int rc = fetch(rom, &ds, &size, &version);
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

int env_rom_open_args(env_t *env, const char *name, const char *extra,
                      env_rom_t *rom)
{
	char args[CONNECTION_ARGS_MAX + 1];
	memset(rom, 0, sizeof(*rom));
	rom->dataspace = rom->connection.cap = rom->sigh = KCAP_INVALID;
	size_t len = strlen(name);
	if (len + 10 > 200 || strchr(name, '"') || strchr(name, '\\'))
		return KERR_INVALID;
	int n = extra && extra[0]
	                ? snprintf(args, sizeof(args), "label=\"%s\", %s", name,
	                           extra)
	                : snprintf(args, sizeof(args), "label=\"%s\"", name);
	if (n < 0 || (size_t)n >= sizeof(args))
		return KERR_INVALID;
	int rc = connection_open(&rom->connection, env, "ROM", args);
	if (rc != 0)
		return rc;
	rc = env_rom_update(rom);
	if (rc != 0)
		env_rom_close(rom);
	return rc;
}

int env_rom_open(env_t *env, const char *name, env_rom_t *rom)
{
	return env_rom_open_args(env, name, NULL, rom);
}

/* The watched session is open again (on the entrypoint): the signal
 * registered at it, and submitted, so that the client looks. */
static void reopened(connection_t *c, void *ctx)
{
	env_rom_t *rom = ctx;

	(void)c;
	if (!kcap_valid(rom->sigh))
		return;
	(void)rom_sigh(rom->connection.cap, rom->sigh);
	(void)ksignal_submit(rom->sigh, 1);
}

int env_rom_sigh(env_rom_t *rom, kcap_t signal)
{
	kcap_t copy = KCAP_INVALID;
	int rc = kcap_valid(signal) ? kcap_copy(signal, &copy) : 0;
	if (rc != 0)
		return rc;
	rc = rom_sigh(rom->connection.cap, signal);
	if (rc == KERR_REVOKED && reopen(rom) == 0)
		rc = rom_sigh(rom->connection.cap, signal);
	if (rc != 0) {
		kcap_close(copy);
		return rc;
	}
	kcap_close(rom->sigh);
	rom->sigh = copy;
	if (kcap_valid(copy))
		return connection_watch(&rom->connection, reopened, rom);
	connection_unwatch(&rom->connection);
	return 0;
}

void env_rom_close(env_rom_t *rom)
{
	unmap(rom);
	kcap_close(rom->sigh);
	rom->sigh = KCAP_INVALID;
	connection_close(&rom->connection);
}
