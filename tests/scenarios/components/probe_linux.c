/*
 * The linux platform's part of the scenario probe (probe_platform.h): a
 * memory object's inode, and the confinement commands:
 *
 *   hostile       tries to leave its confinement: open a file, open a
 *                 socket, fork, exec, take memory beyond its quota; logs
 *                 "refused: WHAT" or "ESCAPED: WHAT" for each
 *   spoil-caps    tries to spoil the sockets of the capabilities it holds
 *                 (parent, PD, CPU, LOG, config ROM, and the config's
 *                 signal capability after `watch`, which core holds too),
 *                 whose sockets every holder of each shares: shut them
 *                 down, shrink their buffers, change their priority (once
 *                 the mark of a signal capability) and their file flags,
 *                 give them a chosen name; logs "refused: WHAT (why)" or
 *                 "SPOILED: WHAT" for each, then how many are still of
 *                 their kind
 *   open-library  opens a shared library of the system, which the first
 *                 layer of confinement lets the loader read; logs
 *                 "library open: allowed" or "... refused"
 *   map-code      says it is riscv's check (probe_riscv.c): linux's
 *                 second layer forbids opening files, not mappings
 *
 * The component's environment is one per domain: a file-scope pointer,
 * set by each command, as in probe.c.
 */
#include "probe_platform.h"

#include "pd_rpc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static env_t *env;

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

static void spoil_caps(const kcap_t *caps, size_t n)
{
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
		kept += kcap_type(caps[i]) == (i < PROBE_CONFINE_ENDPOINTS
		                                       ? KCAP_TYPE_ENDPOINT
		                                       : KCAP_TYPE_SIGNAL);
	env_log(env, "caps: %zu of %zu still of their kind", kept, n);
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

int probe_confine_command(env_t *e, const char *line, const kcap_t *caps,
                          size_t count, kcap_t rom)
{
	(void)rom; /* its socket is core's; the ROM's memory is no socket */
	env = e;
	if (strcmp(line, "hostile") == 0)
		try_escapes();
	else if (strcmp(line, "spoil-caps") == 0)
		spoil_caps(caps, count);
	else if (strcmp(line, "open-library") == 0)
		open_library();
	else if (strcmp(line, "map-code") == 0)
		env_log(env, "map-code: riscv's check (linux forbids opening "
		             "files, not mappings)");
	else
		return 0;
	return 1;
}

unsigned long long probe_object_id(kcap_t dataspace)
{
	struct stat st;
	return fstat(dataspace.sel, &st) == 0 ? (unsigned long long)st.st_ino
	                                      : 0;
}
