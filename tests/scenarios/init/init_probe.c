/*
 * The init probe: a test component for the init scenarios
 * (tests/scenarios/2*-init-*.scenario), started by init as a child. Its
 * JSON config says what to do, in this order:
 *
 *   "announce_silent": true   announces the service "Silent" whose root
 *                             never answers (an endpoint nobody serves)
 *   "session": "NAME"         asks for a session at NAME (with
 *   "ram_quota": "SIZE"       this ram_quota, default 8K) and logs
 *                             "session NAME: ok" or "session NAME: <why>"
 *   "crash": true             logs "crashing" and dies of a fault
 *
 * Then it stays alive and logs "probe alive" once more, so a scenario can
 * see that it was not held up.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include <runtime/env.h>
#include <runtime/str.h>

#include "parent_rpc.h"

static void announce_silent(env_t *env)
{
	/* Kept for the component's life: the root must stay unanswered, not
	 * revoked. */
	static kendpoint_t *silent;
	kcap_t root;
	int err = kendpoint_create(&silent, &root);

	if (!err)
		err = parent_announce(env->parent, "Silent", root);
	env_log(env, "announce Silent: %s", err ? env_strerror(err) : "ok");
}

static void open_session(env_t *env, const char *service, const char *ram)
{
	char args[200];
	kcap_t cap;
	uint32_t id;
	int err;

	str_format(args, sizeof(args), "label=\"probe\", ram_quota=%s",
	           ram ? ram : "8K");
	err = env_session(env, service, args, &cap, &id);
	env_log(env, "session %s: %s", service, err ? env_strerror(err) : "ok");
}

static void crash(env_t *env)
{
	volatile int *nowhere = NULL;

	env_log(env, "crashing");
	*nowhere = 1;
}

void component_construct(env_t *env)
{
	env_rom_t rom;
	cJSON *json = NULL;

	if (env_rom_open(env, "config", &rom) == 0 && rom.data)
		json = cJSON_ParseWithLength(rom.data, rom.size);
	if (!json) {
		env_log(env, "no JSON config");
		return;
	}
	const cJSON *silent = cJSON_GetObjectItemCaseSensitive(json, "announce_silent");
	const cJSON *service = cJSON_GetObjectItemCaseSensitive(json, "session");
	const cJSON *ram = cJSON_GetObjectItemCaseSensitive(json, "ram_quota");
	const cJSON *fault = cJSON_GetObjectItemCaseSensitive(json, "crash");

	if (cJSON_IsTrue(silent))
		announce_silent(env);
	if (cJSON_IsString(service))
		open_session(env, service->valuestring,
		             cJSON_IsString(ram) ? ram->valuestring : NULL);
	if (cJSON_IsTrue(fault))
		crash(env);
	env_log(env, "probe alive");
	cJSON_Delete(json);
	env_rom_close(&rom);
}
