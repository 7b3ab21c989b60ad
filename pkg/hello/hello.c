/*
 * hello: the first component. It reads its config ROM, a JSON object
 * such as {"greeting": "hi"}, logs the greeting and exits with 0. A
 * config that is missing or no such object is reported in the log, and
 * the component exits with 1.
 */
#include <runtime/env.h>

#include <cjson/cJSON.h>

#include <string.h>

static const char *greeting_of(cJSON *config)
{
	cJSON *greeting = cJSON_GetObjectItemCaseSensitive(config, "greeting");
	return cJSON_IsString(greeting) ? greeting->valuestring : NULL;
}

void component_construct(env_t *env)
{
	env_rom_t config;
	int rc = env_rom_open(env, "config", &config);
	if (rc != 0 || !config.data) {
		env_log(env, "hello: no config ROM: %s",
		        rc ? runtime_strerror(rc)
		           : "the module does not exist");
		env_exit(env, 1);
	}
	cJSON *json = cJSON_ParseWithLength(config.data, config.size);
	const char *greeting = json ? greeting_of(json) : NULL;
	if (!greeting) {
		env_log(env, "hello: the config is no JSON object with a "
		             "\"greeting\" string");
		cJSON_Delete(json);
		env_exit(env, 1);
	}
	env_log(env, "%s", greeting);
	cJSON_Delete(json);
	env_rom_close(&config);
	env_exit(env, 0);
}
