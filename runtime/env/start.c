/*
 * Component start-up (env.h): the sequence libruntime's main() runs
 * before the component's component_construct(), and env_exit().
 *
 *   1. the parent is kboot_cap(0)
 *   2. the entrypoint thread
 *   3. PD (the component's own, empty label), CPU, LOG through the parent
 *   4. the main thread and the entrypoint's thread registered at the CPU
 *      session (the latter from the entrypoint itself, by a signal)
 *   5. the heap on the PD's RAM quota
 *   6. the heartbeat signal on the entrypoint (heartbeat.c)
 *   7. the session watch (reconnect.c): the session signal on the
 *      entrypoint, registered with the parent
 *   8. the yield signal on the entrypoint (yield.c)
 *
 * A failure is reported on stderr (core's terminal) since there is no LOG
 * session yet to say it with.
 */
#include "env_private.h"

#include "cpu_rpc.h"
#include "parent_rpc.h"

#include <runtime/error.h>
#include <runtime/semaphore.h>

#include <stdio.h>
#include <stdlib.h>

/* Registering the entrypoint's thread: it has to name itself, so the
 * registration runs there, as a signal handler, while start-up waits. */
struct ep_registration {
	env_t *env;
	int rc;
	struct semaphore done;
};

static void register_ep_thread(void *arg, uint32_t count)
{
	(void)count;
	struct ep_registration *r = arg;
	r->rc = cpu_thread_register(r->env->cpu, "ep", kthread_native_id(),
	                            &r->env->ep_thread);
	semaphore_up(&r->done);
}

static int register_threads(env_t *env)
{
	int rc = cpu_thread_register(env->cpu, "main", kthread_native_id(),
	                             &env->main_thread);
	if (rc != 0)
		return rc;
	struct ep_registration r = { .env = env };
	semaphore_init(&r.done, 0);
	entrypoint_signal_t sig;
	kcap_t cap;
	rc = entrypoint_manage_signal(env->ep, &sig, register_ep_thread, &r,
	                              &cap);
	if (rc != 0)
		return rc;
	rc = ksignal_submit(cap, 1);
	if (rc == 0) {
		semaphore_down(&r.done);
		rc = r.rc;
	}
	entrypoint_dissolve_signal(&sig);
	kcap_close(cap);
	return rc;
}

/* Says why start-up failed (on stderr: there is no LOG session to say it
 * with) and returns the exit code that tells it to whoever reads core's
 * "exited with code N". */
static int fail(int exit_code, const char *what, const char *why)
{
	fprintf(stderr, "component start-up: %s: %s\n", what, why);
	return exit_code;
}

/* See env_of_process(): set once, at the end of env_start(). */
static env_t *process_env;

env_t *env_of_process(void)
{
	return process_env;
}

int env_start(env_t *env, kcap_t parent)
{
	static struct env_private priv; /* one environment per process */
	lock_init(&priv.session_lock);
	lock_init(&priv.log_lock);
	env->priv = &priv;
	env_reconnect_init(env);
	env->parent = parent;
	env->pd = env->cpu = env->log = KCAP_INVALID;
	uint32_t id;
	int rc = entrypoint_create(&env->ep, "ep");
	if (rc != 0)
		return fail(ENV_EXIT_NO_ENTRYPOINT, "no entrypoint",
		            runtime_strerror(rc));
	rc = env_session(env, "PD", "", &env->pd, &id);
	if (rc != 0)
		return fail(ENV_EXIT_NO_PD, "no PD session",
		            runtime_strerror(rc));
	rc = env_session(env, "CPU", "", &env->cpu, &id);
	if (rc != 0)
		return fail(ENV_EXIT_NO_CPU, "no CPU session",
		            runtime_strerror(rc));
	rc = connection_open(&priv.log, env, "LOG", "");
	env->log = priv.log.cap;
	if (rc != 0)
		return fail(ENV_EXIT_NO_LOG, "no LOG session",
		            runtime_strerror(rc));
	rc = register_threads(env);
	if (rc != 0)
		return fail(ENV_EXIT_NO_THREADS,
		            "the threads cannot be registered",
		            rpc_strerror(&cpu_rpc, rc));
	rc = env_heap_create(&priv.heap, env->pd);
	if (rc != 0)
		return fail(ENV_EXIT_NO_HEAP, "no heap", runtime_strerror(rc));
	env->heap = env_heap_allocator(priv.heap);
	env_heap_ask_parent(priv.heap, env->parent);
	env_heartbeat_start(env);
	env_reconnect_start(env);
	env_yield_start(env);
	process_env = env;
	return 0;
}

_Noreturn void env_exit(env_t *env, int code)
{
	(void)parent_exit(env->parent, code);
	fflush(NULL);
	kprocess_exit(code);
}
