/*
 * A component that takes every thread it can (the riscv kernel's threads
 * are one fixed pool, of which a domain may hold a quarter,
 * kernel/riscv/README.md, "Quotas"). Refused at its own share, it holds
 * them for good: several hogs together leave the machine none. The one
 * that finds the pool empty asks its parent for a ROM session, which a
 * parent opens on a worker thread of its own: with none left init must
 * say so, not refuse in silence (tests/riscv/run-suite
 * `init_out_of_threads_said`). It then lets its threads end and asks
 * again, which must work: init is not left broken. Exits 0 when the
 * first request was refused and the second opened, else 1.
 */
#include <runtime/env.h>
#include <runtime/semaphore.h>
#include <runtime/thread.h>

#define HOG_MAX   80 /* more than the machine's THREAD_MAX */
#define HOG_STACK 8192

static struct semaphore release;

static void hold(void *arg)
{
	(void)arg;
	semaphore_down(&release);
}

/* Opens and closes ROM `name`: 0 or why not. */
static int rom_try(env_t *env, const char *name)
{
	env_rom_t rom;
	int rc = env_rom_open(env, name, &rom);
	if (!rc)
		env_rom_close(&rom);
	return rc;
}

void component_construct(env_t *env)
{
	static struct thread hogs[HOG_MAX];
	unsigned held = 0;
	int rc = 0;

	semaphore_init(&release, 0);
	for (; held < HOG_MAX; held++) {
		rc = thread_start(&hogs[held], "hog", HOG_STACK, hold, NULL);
		if (rc != 0)
			break;
	}
	env_log(env, "holding %u threads, then: %s", held,
	        runtime_strerror(rc));
	if (rc == KERR_LIMIT)
		return; /* its share: the threads stay held */
	int starved = rom_try(env, "threadhog");
	env_log(env, "ROM threadhog with no thread left: %s",
	        starved ? runtime_strerror(starved) : "opened");
	for (unsigned i = 0; i < held; i++)
		semaphore_up(&release);
	for (unsigned i = 0; i < held; i++)
		thread_join(&hogs[i]);
	int later = rom_try(env, "threadhog");
	env_log(env, "ROM threadhog with the threads given back: %s",
	        later ? runtime_strerror(later) : "opened");
	env_exit(env, held < HOG_MAX && starved && !later ? 0 : 1);
}
