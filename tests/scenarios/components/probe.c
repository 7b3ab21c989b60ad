/*
 * The scenario probe: a test component that the scenario harness installs
 * as boot module `init` (tests/scenarios/lib.sh). It runs the script in
 * its config ROM (DIR/config/init.config, or as a child of init the
 * string of its JSON config {"script": "..."}), one command per line, and
 * logs what happened, so the scenarios can wait for the expected lines:
 *
 *   log TEXT          logs TEXT
 *   devices           asks for IRQ, IO_MEM and IO_PORT sessions (denied)
 *   hostile, spoil-caps, open-library, map-code
 *                     the confinement checks of each platform
 *                     (probe_platform.h: probe_linux.c, probe_riscv.c)
 *   alloc-past-quota  allocates RAM dataspaces of 1 MiB until the PD
 *                     refuses, and logs the error
 *   heap N            takes N KiB from the environment's heap (RAM
 *                     dataspaces of its PD), writes them, logs the result
 *   quota             logs the PD's quota
 *   cpu               pins its main thread and lowers the priority of its
 *                     entrypoint's thread through the CPU session, and
 *                     tries to register a thread that is not its own
 *   watch             logs every new version of the config ROM; a new
 *                     version's script runs too
 *   forbid-open       the second layer of confinement
 *                     (kconfine_forbid_open): linux drops opening files
 *                     for good, riscv mapping code
 *   crash             dies of a fault
 *   exit N            exits with code N
 *   rom ..., rom-same, rom-held, rom-watch
 *                     ROM sessions with explicit arguments
 *                     (probe_rom.h)
 *
 * Without `exit` or `crash` it stays alive (its entrypoint serves on).
 */
#include <runtime/env.h>
#include <runtime/signal.h>

#include "cpu_rpc.h"
#include "pd_rpc.h"
#include "probe_platform.h"
#include "probe_rom.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The component's state: one environment, its config ROM and the
 * dispatcher of its change signal, shared by the script's commands and the
 * signal handler (which runs on the entrypoint while main sleeps). */
static env_t *env;
static env_rom_t config;
static signal_dispatcher_t config_changed;
static kcap_t config_signal = { -1 }; /* given to core by `watch` */

static void try_devices(void)
{
	const char *services[] = { "IRQ", "IO_MEM", "IO_PORT" };
	for (size_t i = 0; i < sizeof(services) / sizeof(*services); i++) {
		kcap_t cap;
		uint32_t id;
		int rc = env_session(env, services[i], "", &cap, &id);
		if (rc == 0)
			env_log(env, "%s: granted", services[i]);
		else
			env_log(env, "%s: %s", services[i],
			        runtime_strerror(rc));
	}
}

static void alloc_past_quota(void)
{
	unsigned mib = 0;
	for (;;) {
		kcap_t ds;
		int rc = pd_alloc(env->pd, 1u << 20, &ds);
		if (rc != 0) {
			env_log(env, "alloc after %u MiB: %s", mib,
			        rpc_strerror(&pd_rpc, rc));
			return;
		}
		mib++;
	}
}

static void log_quota(void)
{
	uint64_t ram_limit, ram_used, cap_limit, cap_used;
	int rc = pd_quota(env->pd, &ram_limit, &ram_used, &cap_limit,
	                  &cap_used);
	if (rc != 0)
		env_log(env, "quota: %s", rpc_strerror(&pd_rpc, rc));
	else
		env_log(env, "quota: ram %llu of %llu, caps %llu of %llu",
		        (unsigned long long)ram_used,
		        (unsigned long long)ram_limit,
		        (unsigned long long)cap_used,
		        (unsigned long long)cap_limit);
}

static void try_cpu(void)
{
	uint32_t id;
	int rc = cpu_thread_affinity(env->cpu, env->main_thread, 0);
	env_log(env, "affinity: %s", rc ? rpc_strerror(&cpu_rpc, rc) : "ok");
	rc = cpu_thread_priority(env->cpu, env->ep_thread, 5);
	env_log(env, "priority: %s", rc ? rpc_strerror(&cpu_rpc, rc) : "ok");
	rc = cpu_thread_register(env->cpu, "stranger", 1, &id);
	env_log(env, "foreign thread: %s",
	        rc ? rpc_strerror(&cpu_rpc, rc) : "accepted");
}

static void use_heap(unsigned kib)
{
	void *block;
	int rc = allocator_alloc(env->heap, (size_t)kib * 1024, &block);
	if (rc != ALLOC_OK) {
		env_log(env, "heap: %u KiB refused: %s", kib,
		        runtime_strerror(rc));
		return;
	}
	memset(block, 0x5a, (size_t)kib * 1024);
	env_log(env, "heap: %u KiB ok", kib);
	allocator_free(env->heap, block, (size_t)kib * 1024);
}

/* The confinement commands (probe_platform.h), with the capabilities
 * `spoil-caps` tries: the endpoints first, then the config's signal. */
static int confine_command(const char *line)
{
	const kcap_t caps[] = {
		env->parent,           env->pd,      env->cpu, env->log,
		config.connection.cap, config_signal
	};
	const size_t n = sizeof(caps) / sizeof(*caps) -
	                 !kcap_valid(config_signal);
	return probe_confine_command(env, line, caps, n, config.dataspace);
}

static void run_command(const char *line);

/* The script in the config ROM: its text or, for a child of init (whose
 * config is JSON), the string of {"script": "..."} with its escapes
 * \n, \" and \\ undone. */
static void script_of(char *out, size_t size)
{
	static const char key[] = "{\"script\":\"";
	const char *data = config.data ? config.data : "";
	size_t n = 0, len = config.size;
	if (len < sizeof(key) - 1 || memcmp(data, key, sizeof(key) - 1) != 0) {
		n = len < size - 1 ? len : size - 1;
		memcpy(out, data, n);
		out[n] = '\0';
		return;
	}
	for (size_t i = sizeof(key) - 1;
	     i < len && data[i] != '"' && n + 1 < size; i++) {
		char c = data[i];
		if (c == '\\' && i + 1 < len) {
			c = data[++i];
			if (c == 'n')
				c = '\n';
		}
		out[n++] = c;
	}
	out[n] = '\0';
}

static void crash(void)
{
	volatile uintptr_t nowhere = 8; /* an unmapped address */
	*(volatile int *)nowhere = 1;
}

static void on_config_changed(signal_dispatcher_t *d, uint32_t count)
{
	(void)d;
	(void)count;
	int rc = env_rom_update(&config);
	if (rc != 0) {
		env_log(env, "config update failed: %s", runtime_strerror(rc));
		return;
	}
	env_log(env, "config version %u", config.version);
	char script[4096];
	script_of(script, sizeof(script));
	for (char *line = strtok(script, "\n"); line; line = strtok(NULL, "\n"))
		run_command(line);
}

static void watch(void)
{
	int rc = signal_dispatcher_init(&config_changed, env->ep,
	                                on_config_changed, &config_signal);
	if (rc == 0)
		rc = env_rom_sigh(&config, config_signal);
	env_log(env, "watching config: %s", rc ? runtime_strerror(rc) : "ok");
}

static void run_command(const char *line)
{
	if (strncmp(line, "log ", 4) == 0)
		env_log(env, "%s", line + 4);
	else if (strcmp(line, "devices") == 0)
		try_devices();
	else if (strcmp(line, "alloc-past-quota") == 0)
		alloc_past_quota();
	else if (strncmp(line, "heap ", 5) == 0)
		use_heap((unsigned)atoi(line + 5));
	else if (strcmp(line, "quota") == 0)
		log_quota();
	else if (strcmp(line, "cpu") == 0)
		try_cpu();
	else if (strcmp(line, "watch") == 0)
		watch();
	else if (strcmp(line, "forbid-open") == 0)
		env_log(env, "forbid open: %s",
		        kerr_str(kconfine_forbid_open()));
	else if (strcmp(line, "crash") == 0)
		crash();
	else if (strncmp(line, "exit ", 5) == 0)
		env_exit(env, atoi(line + 5));
	else if (!probe_rom_command(env, line) && !confine_command(line))
		env_log(env, "unknown command '%s'", line);
}

void component_construct(env_t *e)
{
	env = e;
	int rc = env_rom_open(env, "config", &config);
	if (rc != 0 || !config.data) {
		env_log(env, "no config: %s",
		        rc ? runtime_strerror(rc) : "unavailable");
		env_exit(env, 1);
	}
	env_log(env, "probe started, config version %u", config.version);
	char script[4096];
	script_of(script, sizeof(script));
	char *save;
	for (char *line = strtok_r(script, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		run_command(line);
}
