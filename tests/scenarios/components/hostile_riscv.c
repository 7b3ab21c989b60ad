/*
 * The riscv platform's part of the hostile probe (hostile_platform.h): a
 * domain has no files or sockets, so memfd and socket pairs have nothing
 * to try; its threads and memory objects are the kernel's, bounded per
 * domain (a share of the machine's threads, kernel/riscv/thread.h) and by
 * its RAM quota (tests/scenarios/41-hostile-memory.scenario).
 */
#include "hostile_platform.h"

#include <runtime/semaphore.h>
#include <runtime/thread.h>

#include <string.h>

#define MIB ((size_t)1 << 20)
#define THREADS_MAX 256 /* past the machine's 64 (kernel/riscv/thread.h) */

void hostile_memfd(env_t *env)
{
	env_log(env, "memfd: nothing to try (no files here)");
}

void hostile_socketpairs(env_t *env, int count)
{
	(void)count;
	env_log(env, "socketpairs: nothing to try (no sockets here)");
}

/* Never raised: the threads wait for good without using CPU. */
static struct semaphore never;

static void sleeper(void *arg)
{
	(void)arg;
	semaphore_down(&never);
}

void hostile_threads(env_t *env, int count)
{
	static struct thread held[THREADS_MAX];
	int started = 0, err = 0;
	semaphore_init(&never, 0);
	for (; started < count && started < THREADS_MAX; started++) {
		err = thread_start(&held[started], "sleeper", 8192, sleeper,
		                   NULL);
		if (err)
			break;
	}
	env_log(env, "threads: %d started, %s at the next", started,
	        err ? runtime_strerror(err) : "none");
}

/* Memory objects of 1 MiB, each mapped and every page touched, until the
 * kernel refuses: memory it can hand to another domain is a memory
 * object, charged to its creator's RAM quota like any other. */
void hostile_shared(env_t *env, int mib)
{
	int touched = 0, err = 0;
	for (; touched < mib; touched++) {
		kcap_t mem;
		void *at = NULL;
		err = kmem_create(MIB, &mem);
		if (err)
			break;
		err = kmem_map(mem, 0, MIB, KMEM_READ | KMEM_WRITE, NULL, &at);
		kcap_close(mem); /* the mapping keeps it */
		if (err)
			break;
		memset(at, 1, MIB);
		if ((touched + 1) % 16 == 0)
			env_log(env, "shared: %d MiB touched", touched + 1);
	}
	env_log(env, "shared: %d MiB touched, then: %s", touched,
	        err ? kerr_str(err) : "none");
}
