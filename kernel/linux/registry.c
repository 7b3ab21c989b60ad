/*
 * The registry of descriptors the kernel interface keeps for itself; see
 * registry.h for what it is for. A table indexed by descriptor number,
 * grown on demand, under one mutex.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <grow/grow.h>

#include "kernel/kernel.h"
#include "registry.h"

struct slot {
	uint8_t kind;        /* enum registry_kind */
	uint8_t awaiting;    /* server channel: a request awaits its reply */
	uint8_t ended;       /* server channel: takes no more requests */
	uint32_t generation; /* server channel: what its tokens carry */
};

/* Process-wide because descriptor numbers are process-wide: any thread
 * may reply, close or fork. Every field is guarded by `lock`. */
static struct {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t count;
	uint32_t next_generation;
	pthread_once_t atfork_once;
} registry = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.atfork_once = PTHREAD_ONCE_INIT,
};

/* Process-wide because it counts the forks that made this process: bumped
 * in every child, read by any thread (registry_process_epoch()). */
static atomic_uint_fast64_t process_epoch;

static void registry_fork_prepare(void)
{
	pthread_mutex_lock(&registry.lock);
}

static void registry_fork_parent(void)
{
	pthread_mutex_unlock(&registry.lock);
}

/* In the child: none of these descriptors is the child's to use. */
static void registry_fork_child(void)
{
	for (size_t fd = 0; fd < registry.count; fd++) {
		if (registry.slots[fd].kind != REGISTRY_FREE)
			close((int)fd);
	}
	memset(registry.slots, 0, registry.count * sizeof registry.slots[0]);
	atomic_fetch_add(&process_epoch, 1);
	pthread_mutex_unlock(&registry.lock);
}

static void registry_install_atfork(void)
{
	pthread_atfork(registry_fork_prepare, registry_fork_parent,
	               registry_fork_child);
}

/* Makes room for descriptor `fd`. Called with the lock held. */
static int registry_reserve(int fd)
{
	if ((size_t)fd < registry.count)
		return KERR_OK;
	size_t count = registry.count;
	struct slot *slots = grow_array(registry.slots, &count, (size_t)fd + 1,
	                                sizeof *slots);
	if (!slots)
		return KERR_NOMEM;
	memset(slots + registry.count, 0,
	       (count - registry.count) * sizeof *slots);
	registry.slots = slots;
	registry.count = count;
	return KERR_OK;
}

uint64_t registry_process_epoch(void)
{
	pthread_once(&registry.atfork_once, registry_install_atfork);
	return atomic_load_explicit(&process_epoch, memory_order_relaxed);
}

int registry_add(int fd, enum registry_kind kind, uint32_t *generation)
{
	pthread_once(&registry.atfork_once, registry_install_atfork);
	pthread_mutex_lock(&registry.lock);
	int err = registry_reserve(fd);
	if (err == KERR_OK) {
		struct slot *s = &registry.slots[fd];
		s->kind = (uint8_t)kind;
		s->awaiting = 0;
		s->ended = 0;
		if (++registry.next_generation == 0)
			registry.next_generation = 1; /* 0 is never current */
		s->generation = registry.next_generation;
		if (generation)
			*generation = s->generation;
	}
	pthread_mutex_unlock(&registry.lock);
	return err;
}

void registry_remove(int fd)
{
	pthread_mutex_lock(&registry.lock);
	if (fd >= 0 && (size_t)fd < registry.count)
		memset(&registry.slots[fd], 0, sizeof registry.slots[fd]);
	pthread_mutex_unlock(&registry.lock);
}

int registry_is_internal(int fd)
{
	pthread_mutex_lock(&registry.lock);
	int internal = fd >= 0 && (size_t)fd < registry.count &&
	               registry.slots[fd].kind != REGISTRY_FREE;
	pthread_mutex_unlock(&registry.lock);
	return internal;
}

int registry_begin_request(int fd)
{
	int err = KERR_INVALID;

	pthread_mutex_lock(&registry.lock);
	if (fd >= 0 && (size_t)fd < registry.count &&
	    registry.slots[fd].kind == REGISTRY_SERVER_CHANNEL) {
		struct slot *s = &registry.slots[fd];
		err = s->awaiting || s->ended ? KERR_DENIED : KERR_OK;
		s->awaiting = 1;
	}
	pthread_mutex_unlock(&registry.lock);
	return err;
}

int registry_claim_reply(kreply_t token)
{
	int fd = token.channel;

	pthread_mutex_lock(&registry.lock);
	if (fd >= 0 && (size_t)fd < registry.count) {
		struct slot *s = &registry.slots[fd];
		if (s->kind == REGISTRY_SERVER_CHANNEL && s->awaiting &&
		    s->generation == token.generation) {
			s->awaiting = 0;
			return 1;
		}
	}
	pthread_mutex_unlock(&registry.lock);
	return 0;
}

void registry_end_claimed(kreply_t token)
{
	registry.slots[token.channel].ended = 1;
}

void registry_unlock(void)
{
	pthread_mutex_unlock(&registry.lock);
}
