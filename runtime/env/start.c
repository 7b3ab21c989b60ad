/*
 * Component start-up (env.h): the sequence libruntime's main() runs
 * before the component's component_construct(), and env_exit().
 *
 *   1. the parent is kboot_cap(0)
 *   2. the entrypoint thread
 *   3. PD (the component's own, empty label), CPU, LOG through the parent
 *   4. the main thread registered at the CPU session
 *   5. the heap on the PD's RAM quota
 *
 * A failure is reported on stderr (core's terminal) since there is no LOG
 * session yet to say it with.
 */
#include "env_private.h"

#include "cpu_rpc.h"
#include "parent_rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int fail(const char *what, int rc)
{
	fprintf(stderr, "component start-up: %s: %s\n", what, env_strerror(rc));
	return rc;
}

int env_start(env_t *env, kcap_t parent)
{
	static struct env_private priv;   /* one environment per process */
	pthread_mutex_init(&priv.session_lock, NULL);
	env->priv = &priv;
	env->parent = parent;
	env->pd = env->cpu = env->log = KCAP_INVALID;
	uint32_t id;
	int rc = entrypoint_create(&env->ep, "ep");
	if (rc != 0)
		return fail("no entrypoint", rc);
	rc = env_session(env, "PD", "", &env->pd, &id);
	if (rc != 0)
		return fail("no PD session", rc);
	rc = env_session(env, "CPU", "", &env->cpu, &id);
	if (rc != 0)
		return fail("no CPU session", rc);
	rc = env_session(env, "LOG", "", &env->log, &id);
	if (rc != 0)
		return fail("no LOG session", rc);
	uint32_t thread;
	rc = cpu_thread_register(env->cpu, "main", kthread_native_id(), &thread);
	if (rc != 0)
		return fail("the main thread cannot be registered", rc);
	rc = env_heap_create(&priv.heap, env->pd);
	if (rc != 0)
		return fail("no heap", rc);
	env->heap = env_heap_allocator(priv.heap);
	return 0;
}

_Noreturn void env_exit(env_t *env, int code)
{
	(void)parent_exit(env->parent, code);
	fflush(NULL);
	_exit(code);
}
