/*
 * The linux platform's part of the hostile probe (hostile_platform.h):
 * memfd_create, socket pairs with full buffers, MAP_SHARED memory and
 * POSIX threads, which the domain's seccomp filter, memory cgroup and
 * task limit bound (tests/scenarios/41-hostile-memory.scenario).
 */
#include "hostile_platform.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MIB ((size_t)1 << 20)

void hostile_memfd(env_t *env)
{
	int fd = memfd_create("hostile", 0);
	env_log(env, "memfd: %s", fd >= 0 ? "created" : strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Blocks for good without using CPU (pause() is not among a component's
 * system calls: it would fail at once and spin). */
static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		sleep(3600);
	return NULL;
}

void hostile_threads(env_t *env, int count)
{
	int started = 0, err = 0;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)64 * 1024);
	for (; started < count; started++) {
		pthread_t t;
		err = pthread_create(&t, &attr, sleeper, NULL);
		if (err)
			break;
	}
	pthread_attr_destroy(&attr);
	env_log(env, "threads: %d started, %s at the next", started,
	        err ? strerror(err) : "none");
}

static size_t fill(int fd)
{
	static char chunk[64 * 1024];
	size_t parked = 0;
	for (;;) {
		ssize_t n = send(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (n <= 0)
			return parked;
		parked += (size_t)n;
	}
}

void hostile_socketpairs(env_t *env, int count)
{
	size_t parked = 0;
	int pairs = 0;
	for (; pairs < count; pairs++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) !=
		    0)
			break;
		parked += fill(sv[0]) + fill(sv[1]);
		if ((pairs + 1) % 10 == 0)
			env_log(env, "socketpairs: %d pairs, %zu MiB parked",
			        pairs + 1, parked / MIB);
	}
	env_log(env, "socketpairs: stopped at %d pairs, %zu MiB parked: %s",
	        pairs, parked / MIB,
	        pairs < count ? strerror(errno) : "all made");
}

void hostile_shared(env_t *env, int mib)
{
	char *at = mmap(NULL, (size_t)mib * MIB, PROT_READ | PROT_WRITE,
	                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (at == MAP_FAILED) {
		env_log(env, "shared: mmap of %d MiB: %s", mib,
		        strerror(errno));
		return;
	}
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	for (int m = 0; m < mib; m++) {
		for (size_t off = 0; off < MIB; off += page)
			at[(size_t)m * MIB + off] = 1;
		if ((m + 1) % 16 == 0)
			env_log(env, "shared: %d MiB touched", m + 1);
	}
	env_log(env, "shared: %d MiB touched", mib);
}
