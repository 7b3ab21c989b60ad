/*
 * The scenario probe: a test component that the scenario harness installs
 * as boot module `init` (tests/scenarios/lib.sh). It runs the script in
 * its config ROM (DIR/config/init.config), one command per line, and logs
 * what happened, so the scenarios can wait for the expected lines:
 *
 *   log TEXT          logs TEXT
 *   devices           asks for IRQ, IO_MEM and IO_PORT sessions (denied)
 *   hostile           tries to leave its confinement: open a file, open a
 *                     socket, fork, exec, take memory beyond its quota;
 *                     logs "refused: WHAT" or "ESCAPED: WHAT" for each
 *   alloc-past-quota  allocates RAM dataspaces of 1 MiB until the PD
 *                     refuses, and logs the error
 *   quota             logs the PD's quota
 *   cpu               registers nothing new but pins and reprioritises its
 *                     main thread through the CPU session, logs the result
 *   watch             logs every new version of the config ROM; a new
 *                     version's script runs too
 *   crash             dies of a fault
 *   exit N            exits with code N
 *
 * Without `exit` or `crash` it stays alive (its entrypoint serves on).
 */
#include <runtime/env.h>
#include <runtime/signal.h>

#include "cpu_rpc.h"
#include "pd_rpc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static env_t *env;
static env_rom_t config;
static signal_dispatcher_t config_changed;

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
			env_log(env, "%s: %s", services[i], env_strerror(rc));
	}
}

static void report(const char *what, int escaped)
{
	if (escaped)
		env_log(env, "ESCAPED: %s", what);
	else
		env_log(env, "refused: %s (%s)", what, strerror(errno));
}

static void try_escapes(void)
{
	int fd = open("/etc/hostname", O_RDONLY);
	report("open", fd >= 0);
	int sock = socket(AF_INET, SOCK_STREAM, 0);
	report("socket", sock >= 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	report("fork", pid >= 0);
	char *argv[] = { "true", NULL }, *envp[] = { NULL };
	execve("/bin/true", argv, envp);
	report("exec", 0);
	uint64_t ram_limit, ram_used, cap_limit, cap_used;
	pd_quota(env->pd, &ram_limit, &ram_used, &cap_limit, &cap_used);
	void *big = malloc((size_t)ram_limit * 2);
	report("memory over quota", big != NULL);
	free(big);
	void *fair = malloc(1u << 20);
	if (fair)
		memset(fair, 1, 1u << 20);
	env_log(env, "memory within quota: %s", fair ? "ok" : "refused");
	free(fair);
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
	int rc = pd_quota(env->pd, &ram_limit, &ram_used, &cap_limit, &cap_used);
	if (rc != 0)
		env_log(env, "quota: %s", rpc_strerror(&pd_rpc, rc));
	else
		env_log(env, "quota: ram %llu of %llu, caps %llu of %llu",
		        (unsigned long long)ram_used, (unsigned long long)ram_limit,
		        (unsigned long long)cap_used, (unsigned long long)cap_limit);
}

static void try_cpu(void)
{
	uint32_t id;
	int rc = cpu_thread_register(env->cpu, "probe", kthread_native_id(), &id);
	if (rc == 0)
		rc = cpu_thread_affinity(env->cpu, id, 0);
	env_log(env, "affinity: %s", rc ? rpc_strerror(&cpu_rpc, rc) : "ok");
	if (rc == 0)
		rc = cpu_thread_priority(env->cpu, id, 5);
	env_log(env, "priority: %s", rc ? rpc_strerror(&cpu_rpc, rc) : "ok");
	rc = cpu_thread_register(env->cpu, "stranger", 1, &id);
	env_log(env, "foreign thread: %s", rc ? rpc_strerror(&cpu_rpc, rc)
	                                      : "accepted");
}

static void run_command(const char *line);

static void crash(void)
{
	volatile uintptr_t nowhere = 8;   /* an unmapped address */
	*(volatile int *)nowhere = 1;
}

static void on_config_changed(signal_dispatcher_t *d, uint32_t count)
{
	(void)d; (void)count;
	int rc = env_rom_update(&config);
	if (rc != 0) {
		env_log(env, "config update failed: %s", env_strerror(rc));
		return;
	}
	env_log(env, "config version %u", config.version);
	char script[4096];
	size_t len = config.size < sizeof(script) - 1 ? config.size
	                                               : sizeof(script) - 1;
	memcpy(script, config.data ? config.data : "", len);
	script[len] = '\0';
	for (char *line = strtok(script, "\n"); line; line = strtok(NULL, "\n"))
		run_command(line);
}

static void watch(void)
{
	kcap_t cap;
	int rc = signal_dispatcher_init(&config_changed, env->ep,
	                                on_config_changed, &cap);
	if (rc == 0)
		rc = env_rom_sigh(&config, cap);
	env_log(env, "watching config: %s", rc ? env_strerror(rc) : "ok");
}

static void run_command(const char *line)
{
	if (strncmp(line, "log ", 4) == 0)
		env_log(env, "%s", line + 4);
	else if (strcmp(line, "devices") == 0)
		try_devices();
	else if (strcmp(line, "hostile") == 0)
		try_escapes();
	else if (strcmp(line, "alloc-past-quota") == 0)
		alloc_past_quota();
	else if (strcmp(line, "quota") == 0)
		log_quota();
	else if (strcmp(line, "cpu") == 0)
		try_cpu();
	else if (strcmp(line, "watch") == 0)
		watch();
	else if (strcmp(line, "crash") == 0)
		crash();
	else if (strncmp(line, "exit ", 5) == 0)
		env_exit(env, atoi(line + 5));
	else
		env_log(env, "unknown command '%s'", line);
}

void component_construct(env_t *e)
{
	env = e;
	int rc = env_rom_open(env, "config", &config);
	if (rc != 0 || !config.data) {
		env_log(env, "no config: %s", rc ? env_strerror(rc) : "unavailable");
		env_exit(env, 1);
	}
	env_log(env, "probe started, config version %u", config.version);
	char script[4096];
	size_t len = config.size < sizeof(script) - 1 ? config.size
	                                               : sizeof(script) - 1;
	memcpy(script, config.data, len);
	script[len] = '\0';
	char *save;
	for (char *line = strtok_r(script, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		run_command(line);
}
