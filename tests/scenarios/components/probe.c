/*
 * The scenario probe: a test component that the scenario harness installs
 * as boot module `init` (tests/scenarios/lib.sh). It runs the script in
 * its config ROM (DIR/config/init.config, or as a child of init the
 * string of its JSON config {"script": "..."}), one command per line, and
 * logs what happened, so the scenarios can wait for the expected lines:
 *
 *   log TEXT          logs TEXT
 *   devices           asks for IRQ, IO_MEM and IO_PORT sessions (denied)
 *   hostile           tries to leave its confinement: open a file, open a
 *                     socket, fork, exec, take memory beyond its quota;
 *                     logs "refused: WHAT" or "ESCAPED: WHAT" for each
 *   spoil-caps        tries to spoil the sockets of the capabilities it
 *                     holds (parent, PD, CPU, LOG, config ROM, and the
 *                     config's signal capability after `watch`, which
 *                     core holds too), whose sockets every holder of each
 *                     shares: shut them down, shrink
 *                     their buffers, change their priority (once the mark
 *                     of a signal capability) and their file flags, give
 *                     them a chosen name; logs "refused: WHAT (why)" or
 *                     "SPOILED: WHAT" for each, then how many are still
 *                     of their kind
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
 *   open-library      opens a shared library of the system, which the
 *                     first layer of confinement lets the loader read;
 *                     logs "library open: allowed" or "... refused"
 *   forbid-open       drops opening files for good (kconfine_forbid_open)
 *   crash             dies of a fault
 *   exit N            exits with code N
 *   rom ..., rom-same, rom-held   ROM sessions with explicit arguments
 *                     (probe_rom.h)
 *
 * Without `exit` or `crash` it stays alive (its entrypoint serves on).
 */
#include <runtime/env.h>
#include <runtime/signal.h>

#include "cpu_rpc.h"
#include "pd_rpc.h"
#include "probe_rom.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

/* One attempt on every capability the component holds: 0 when refused
 * on all, else the first call's success. */
static int spoil_each(const kcap_t *caps, size_t n, int (*attempt)(int fd))
{
	int worked = 0;
	for (size_t i = 0; i < n; i++)
		worked |= attempt(caps[i].sel) == 0;
	return worked;
}

static int shut_down(int fd)
{
	return shutdown(fd, SHUT_RDWR);
}
static int shrink_buffer(int fd)
{
	int size = 1;
	return setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}
static int mark_as_signal(int fd)
{
	int priority = 5;
	return setsockopt(fd, SOL_SOCKET, SO_PRIORITY, &priority,
	                  sizeof priority);
}
static int set_nonblocking(int fd)
{
	return fcntl(fd, F_SETFL, O_NONBLOCK);
}
static int choose_name(int fd)
{
	struct sockaddr_un name = { .sun_family = AF_UNIX,
		                    .sun_path = "\0probe-squats" };
	return bind(fd, (struct sockaddr *)&name, sizeof name);
}

static void spoil_caps(void)
{
	const kcap_t caps[] = {
		env->parent,           env->pd,      env->cpu, env->log,
		config.connection.cap, config_signal
	};
	const size_t n = sizeof(caps) / sizeof(*caps) -
	                 !kcap_valid(config_signal);
	static const struct {
		const char *what;
		int (*attempt)(int fd);
	} spoils[] = {
		{ "shutdown", shut_down },
		{ "shrink buffer", shrink_buffer },
		{ "mark as signal", mark_as_signal },
		{ "set nonblocking", set_nonblocking },
		{ "choose a name", choose_name },
	};
	for (size_t i = 0; i < sizeof(spoils) / sizeof(*spoils); i++) {
		errno = 0;
		if (spoil_each(caps, n, spoils[i].attempt))
			env_log(env, "SPOILED: %s", spoils[i].what);
		else
			env_log(env, "refused: %s (%s)", spoils[i].what,
			        strerror(errno));
	}
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		kept += kcap_type(caps[i]) ==
		        (i < 5 ? KCAP_TYPE_ENDPOINT : KCAP_TYPE_SIGNAL);
	env_log(env, "caps: %zu of %zu still of their kind", kept, n);
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

static void open_library(void)
{
	int fd = open("/usr/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY);
	if (fd >= 0) {
		close(fd);
		env_log(env, "library open: allowed");
	} else {
		env_log(env, "library open: refused (%s)", strerror(errno));
	}
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
	else if (strcmp(line, "hostile") == 0)
		try_escapes();
	else if (strcmp(line, "spoil-caps") == 0)
		spoil_caps();
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
	else if (strcmp(line, "open-library") == 0)
		open_library();
	else if (strcmp(line, "forbid-open") == 0)
		env_log(env, "forbid open: %s",
		        kerr_str(kconfine_forbid_open()));
	else if (strcmp(line, "crash") == 0)
		crash();
	else if (strncmp(line, "exit ", 5) == 0)
		env_exit(env, atoi(line + 5));
	else if (probe_rom_command(env, line))
		;
	else
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
