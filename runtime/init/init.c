/*
 * Init's start-up (init.h): read the config ROM, validate it completely
 * (format library) and check that the children's quotas fit in init's own,
 * then start the children in order. A config that fails any check is
 * logged with the entry it concerns and nothing starts; a child that
 * cannot be started is logged and the others go on.
 */
#include "init.h"

#include <stdlib.h>
#include <string.h>

#include <runtime/str.h>

#include "parent_rpc.h"
#include "pd_rpc.h"

/* Parses init's config ROM; NULL (and a logged reason) when it is not a
 * valid configuration. */
static struct runtime_config *read_config(struct init *init)
{
	struct runtime_config_error error;
	struct runtime_config *config = NULL;
	env_rom_t rom;
	int status = env_rom_open(init->env, "config", &rom);

	if (status) {
		env_log(init->env, "cannot read the config ROM: %s",
		        env_strerror(status));
		return NULL;
	}
	if (!rom.data)
		env_log(init->env, "invalid config: the config ROM is empty or missing");
	else if (runtime_config_parse(rom.data, rom.size, &config, &error))
		env_log(init->env, "invalid config: %s", error.message);
	env_rom_close(&rom);
	return config;
}

/* Whether the children's quotas fit in what init has. */
static bool quota_fits(struct init *init)
{
	struct runtime_config_error error;
	uint64_t ram_limit, ram_used, cap_limit, cap_used, ram = 0, caps = 0;
	int status = pd_quota(init->host.host.pd, &ram_limit, &ram_used,
	                      &cap_limit, &cap_used);

	if (status) {
		env_log(init->env, "cannot read init's quota: %s",
		        rpc_strerror(&pd_rpc, status));
		return false;
	}
	if (ram_limit > ram_used + INIT_RAM_RESERVE)
		ram = ram_limit - ram_used - INIT_RAM_RESERVE;
	if (cap_limit > cap_used + INIT_CAPS_RESERVE)
		caps = cap_limit - cap_used - INIT_CAPS_RESERVE;
	if (runtime_config_check_quota(init->config, ram, caps, &error)) {
		env_log(init->env, "invalid config: %s", error.message);
		return false;
	}
	return true;
}

/* What the format allows but this init cannot do yet. */
static bool supported(struct init *init)
{
	for (size_t i = 0; i < init->config->start_count; i++) {
		const struct runtime_child *c = &init->config->start[i];
		if (c->pkg) {
			env_log(init->env, "invalid config: start entry \"%s\": \"pkg\" "
			        "needs the depot, which this init does not read yet; "
			        "give \"binary\" instead", c->name);
			return false;
		}
	}
	return true;
}

static void start_child(struct init *init, struct init_child *ic)
{
	const struct runtime_child *entry = ic->entry;
	const char *text = entry->config ? entry->config : "{}";
	struct child_policy policy = init_child_policy_template;
	struct child_config cfg = {
		.name = entry->name, .binary = entry->binary,
		.ram = entry->ram, .caps = entry->caps,
	};
	char error[CHILD_REASON_MAX];
	int status;

	status = config_rom_init(&ic->rom, init->env->ep, init->host.host.pd,
	                         text, strlen(text));
	if (status) {
		env_log(init->env, "child \"%s\": cannot make its config ROM: %s",
		        entry->name, rpc_strerror(&pd_rpc, status));
		return;
	}
	ic->rom_ready = true;
	policy.ctx = ic;
	status = child_spawn(init->broker, &cfg, &policy, &ic->child, error,
	                     sizeof(error));
	if (status) {
		env_log(init->env, "child \"%s\": cannot start: %s", entry->name, error);
		ic->child = NULL;
		return;
	}
	env_log(init->env, "started child \"%s\" (ram %llu, caps %llu)",
	        entry->name, (unsigned long long)entry->ram,
	        (unsigned long long)entry->caps);
}

int init_start(struct init *init, env_t *env)
{
	int status;

	memset(init, 0, sizeof(*init));
	init->env = env;
	service_registry_init(&init->registry);
	status = child_parent_host_init(&init->host, env->parent);
	if (status) {
		env_log(env, "cannot open init's own PD session: %s",
		        env_strerror(status));
		return status;
	}
	init->config = read_config(init);
	if (!init->config || !supported(init) || !quota_fits(init)) {
		env_log(env, "no child started");
		return PARENT_ERR_INVALID;
	}

	struct child_broker_config cfg = {
		.ep = env->ep, .host = &init->host.host,
		.registry = &init->registry, .timeout_ms = INIT_SESSION_TIMEOUT_MS,
	};
	status = child_broker_create(&init->broker, &cfg);
	init->children = calloc(init->config->start_count ? init->config->start_count : 1,
	                        sizeof(*init->children));
	if (status || !init->children) {
		env_log(env, "out of memory for the children");
		return KERR_NOMEM;
	}
	for (size_t i = 0; i < init->config->start_count; i++) {
		init->children[i].init = init;
		init->children[i].entry = &init->config->start[i];
		start_child(init, &init->children[i]);
	}
	return 0;
}
