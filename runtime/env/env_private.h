/*
 * What the parts of runtime/env share and components do not see: the
 * start-up sequence (start.c), the session protocol (session.c), and the
 * heap on the PD's RAM quota (heap.c).
 */
#ifndef RUNTIME_ENV_PRIVATE_H
#define RUNTIME_ENV_PRIVATE_H

#include <runtime/env.h>
#include <runtime/lock.h>
#include <runtime/semaphore.h>
#include <runtime/thread.h>

struct env_heap;

/* The session watch of reconnect.c (connection.h, "Watching"). */
struct env_reconnect {
	/* the session signal: registered with the parent between session
	 * requests (session.c registers a receiver of its own during one),
	 * handled on the entrypoint; KCAP_INVALID: nothing is watched */
	entrypoint_signal_t session_signal;
	kcap_t session_cap;
	/* the retry tick: a thread that sleeps RECONNECT_TICK_MS and submits
	 * it, only while a connection waits for its next request */
	entrypoint_signal_t retry_signal;
	kcap_t retry_cap;
	struct semaphore wake;
	struct thread thread;
	bool thread_started; /* entrypoint only */
	/* the watched connections (connection_t.watch_elem); the lock guards
	 * the list and the watch fields of its connections */
	struct list watched;
	struct lock lock;
};

struct env_private {
	/* serialises the two-step session protocol: one session signal
	 * registration at the parent at a time */
	struct lock session_lock;
	struct env_heap *heap;
	/* the component's LOG session (env->log is its cap), reopened by
	 * env_log when it ends; log_lock keeps one thread at a time on it, so
	 * that no thread writes on a capability that another one replaces */
	connection_t log;
	struct lock log_lock;
	/* the heartbeat signal on the entrypoint (heartbeat.c) */
	entrypoint_signal_t heartbeat;
	struct env_reconnect reconnect;
	/* the yield signal on the entrypoint and the component's handler
	 * (yield.c); yield_lock guards the handler, which any thread sets */
	entrypoint_signal_t yield;
	struct lock yield_lock;
	env_yield_fn yield_fn;
	void *yield_ctx;
};

/* The session argument string `args` completed with the default quotas
 * where it names none, into out[], and the quotas it donates. 0, or
 * PARENT_ERR_INVALID for a malformed or overlong string (session.c). */
#define ENV_SESSION_ARGS_MAX CONNECTION_ARGS_MAX
int env_session_args(const char *args, char out[ENV_SESSION_ARGS_MAX + 1],
                     uint64_t *ram_quota, uint64_t *cap_quota);

/* env_session() for an argument string env_session_args() completed
 * already (session.c). */
int env_session_request(env_t *env, const char *service, const char *full,
                        kcap_t *cap, uint32_t *id);

/* Registers the entrypoint's heartbeat signal with the parent and
 * answers it (heartbeat.c); a parent that does not ask is no error. */
void env_heartbeat_start(env_t *env);

/* Prepares the session watch (reconnect.c); before any session. */
void env_reconnect_init(env_t *env);

/* Starts the session watch: its signals on the entrypoint, the session
 * signal registered with the parent (reconnect.c). Without it (no
 * signal) nothing is watched and sessions are noticed at their next
 * call, as before. */
void env_reconnect_start(env_t *env);

/* Withdraws the request filed for the watched connection `c`, if any
 * (reconnect.c), before connection.c opens it itself. */
void env_reconnect_withdraw(connection_t *c);
/* Registers the entrypoint's yield signal with the parent (yield.c); a
 * parent that does not ask is no error. */
void env_yield_start(env_t *env);

/* Gives every dataspace of the heap none of whose blocks is in use back
 * to the PD; returns the bytes given back (heap.c). */
size_t env_heap_trim(struct env_heap *heap);

/* Opens the environment sessions and the entrypoint (start.c). 0, or an
 * ENV_EXIT_* code with a message already written to stderr. */
int env_start(env_t *env, kcap_t parent);

/* The process's one environment once env_start() succeeded, for what the
 * C library calls without one (getentropy() on riscv,
 * getentropy_session.c); NULL before, and in programs that are no
 * components (core, the tests' roots). */
env_t *env_of_process(void);

/* The heap on `pd`'s RAM quota (heap.c). */
int env_heap_create(struct env_heap **heap, kcap_t pd);
struct allocator *env_heap_allocator(struct env_heap *heap);

/* From now on the heap asks `parent` for more quota when the PD's runs
 * out, and waits for it, instead of failing (resource.c). */
void env_heap_ask_parent(struct env_heap *heap, kcap_t parent);

/* Asks `parent` for `ram` bytes and `caps` capabilities more
 * (parent.rpc resource_request) and waits until it answers. 0 once
 * answered (whether it gave enough the caller finds out by trying
 * again); the parent's or the kernel's error when it takes no requests
 * (core), and then the caller fails as it would without asking. */
int env_resource_request(kcap_t parent, uint64_t ram, uint64_t caps);

/* After a session request or upgrade that donates `ram` and `caps`
 * failed with `status`: when that is PARENT_ERR_OUT_OF_RAM/_CAPS because
 * the component's own PD has less free, asks the parent for the
 * difference and waits for its answer; 0 then (try again). Otherwise, or
 * when the parent takes no requests, `status` as it was. */
int env_resource_pay(env_t *env, int status, uint64_t ram, uint64_t caps);
/* Unmaps the heap's dataspaces and frees its book-keeping; every block
 * is gone with it. */
void env_heap_destroy(struct env_heap *heap);

#endif
