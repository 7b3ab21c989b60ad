/*
 * What the parts of runtime/env share and components do not see: the
 * start-up sequence (start.c), the session protocol (session.c), and the
 * heap on the PD's RAM quota (heap.c).
 */
#ifndef RUNTIME_ENV_PRIVATE_H
#define RUNTIME_ENV_PRIVATE_H

#include <runtime/env.h>

#include <pthread.h>

struct env_heap;

struct env_private {
	/* serialises the two-step session protocol: one session signal
	 * registration at the parent at a time */
	pthread_mutex_t  session_lock;
	struct env_heap *heap;
};

/* Opens the environment sessions and the entrypoint (start.c). 0, or a
 * status with a message already written to stderr. */
int env_start(env_t *env, kcap_t parent);

/* The heap on `pd`'s RAM quota (heap.c). */
int env_heap_create(struct env_heap **heap, kcap_t pd);
struct allocator *env_heap_allocator(struct env_heap *heap);
/* Unmaps the heap's dataspaces and frees its book-keeping; every block
 * is gone with it. */
void env_heap_destroy(struct env_heap *heap);

#endif
