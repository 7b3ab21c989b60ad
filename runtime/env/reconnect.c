/*
 * The session watch of libruntime (connection.h, "Watching"). The parent
 * submits a component's session signal whenever one of its session
 * records changes: a request resolved, or an open session ended because
 * its server went away or the parent moved it (runtime/child). Between
 * session requests the signal registered with the parent is this one,
 * handled on the entrypoint; session.c registers a receiver of its own
 * for the time of a request and this one again afterwards, and the parent
 * submits at every registration, so nothing that happened meanwhile is
 * missed.
 *
 * At each signal every watched connection is looked at with one
 * session_cap call: an open one whose record failed has ended (the call
 * takes the failed record away), so its capability is closed and a new
 * request with the same service, arguments and quota filed at once,
 * without waiting for the answer; a filed one whose answer came is open
 * again, or found no server and is filed again after a back-off
 * (reconnect_rule.h) that a small thread times. Once open again the
 * connection's `reopened` callback runs on the entrypoint, outside the
 * lock. Nothing here blocks the entrypoint on a server.
 */
#include "env_private.h"

#include <runtime/arg_string.h>
#include <runtime/container_of.h>
#include <runtime/signal.h>

#include "parent_rpc.h"
#include "reconnect_rule.h"

#define RETRY_STACK ((size_t)64 * 1024u)

static struct env_reconnect *of(env_t *env)
{
	return &env->priv->reconnect;
}

static void schedule_retry(connection_t *c, uint64_t now)
{
	c->backoff_ms = reconnect_backoff_next(c->backoff_ms);
	c->retry_ns = now + (uint64_t)c->backoff_ms * 1000000u;
}

/* Files a new request for `c`, without waiting for its answer.
 * Precondition: the lock held, `c` neither open nor pending. */
static void file_request(connection_t *c, uint64_t now)
{
	uint32_t id;
	int rc = parent_session(c->env->parent, c->service, c->args, &id);

	if (rc == 0) {
		c->id = id;
		c->pending = true;
	} else {
		schedule_retry(c, now);
	}
}

/* The session of `c` ended (its record at the parent is gone, its quota
 * back at the component): the next request donates what it had.
 * Precondition: the lock held. */
static void lost(connection_t *c, uint64_t now)
{
	kcap_close(c->cap);
	c->cap = KCAP_INVALID;
	/* upgrades included; if that does not fit, the first quota stays */
	(void)arg_string_set_unsigned(c->args, sizeof(c->args), "ram_quota",
	                              c->ram_quota);
	(void)arg_string_set_unsigned(c->args, sizeof(c->args), "cap_quota",
	                              c->cap_quota);
	c->backoff_ms = 0;
	file_request(c, now);
}

/* One connection at one round: `signalled` when the parent's session
 * signal came (else it is a retry tick). True if it waits for a retry.
 * Precondition: the lock held. */
static bool step(connection_t *c, bool signalled, uint64_t now)
{
	kcap_t cap;
	int rc;

	if (kcap_valid(c->cap)) {
		if (!signalled)
			return false;
		rc = parent_session_cap(c->env->parent, c->id, &cap);
		if (rc == 0)
			kcap_close(
				cap); /* still open: the copy is not needed */
		else if (reconnect_session_ended(rc))
			lost(c, now);
	} else if (c->pending) {
		if (!signalled)
			return false;
		rc = parent_session_cap(c->env->parent, c->id, &cap);
		if (rc == PARENT_ERR_PENDING)
			return false;
		c->pending = false;
		if (rc == 0) {
			c->cap = cap;
			c->backoff_ms = 0;
			c->due = true;
		} else if (rc == PARENT_ERR_ENDED) {
			file_request(
				c, now); /* moved before it was taken: again */
		} else {
			schedule_retry(c, now); /* no server (yet): later */
		}
	} else if (now >= c->retry_ns) {
		file_request(c, now);
	}
	return !kcap_valid(c->cap) && !c->pending;
}

/* Runs the callbacks of the connections that are open again, one at a
 * time and without the lock, so that a callback may use the connection
 * (or close it). */
static void run_due(struct env_reconnect *r)
{
	for (;;) {
		connection_t *due = NULL;
		lock_acquire(&r->lock);
		for (struct list_elem *e = list_first(&r->watched); e && !due;
		     e = list_next(e)) {
			connection_t *c = container_of(e, connection_t,
			                               watch_elem);
			if (c->due)
				due = c;
		}
		if (due)
			due->due = false;
		void (*reopened)(connection_t *, void *) = due ? due->reopened
		                                               : NULL;
		void *ctx = due ? due->reopened_ctx : NULL;
		lock_release(&r->lock);
		if (!due)
			return;
		if (reopened)
			reopened(due, ctx);
	}
}

static void retry_entry(void *arg)
{
	struct env_reconnect *r = arg;
	signal_receiver_t *sleeper = NULL;
	signal_t none;

	/* without a receiver the ticks come at once: requests are filed
	 * more often, never less */
	if (signal_receiver_create(&sleeper))
		sleeper = NULL;
	for (;;) {
		semaphore_down(&r->wake);
		if (sleeper)
			(void)signal_receiver_wait(sleeper, &none,
			                           (int)RECONNECT_TICK_MS);
		(void)ksignal_submit(r->retry_cap, 1);
	}
}

/* Asks the retry thread for one more tick (it is started the first time
 * it is needed). On the entrypoint. */
static void want_tick(struct env_reconnect *r)
{
	if (!r->thread_started)
		r->thread_started = thread_start(&r->thread, "reconnect",
		                                 RETRY_STACK, retry_entry,
		                                 r) == 0;
	if (r->thread_started && semaphore_count(&r->wake) == 0)
		semaphore_up(&r->wake);
}

static void round_of(env_t *env, bool signalled)
{
	struct env_reconnect *r = of(env);
	uint64_t now = kclock_ns();
	bool waiting = false;

	lock_acquire(&r->lock);
	for (struct list_elem *e = list_first(&r->watched); e; e = list_next(e))
		waiting |= step(container_of(e, connection_t, watch_elem),
		                signalled, now);
	lock_release(&r->lock);
	run_due(r);
	if (waiting)
		want_tick(r);
}

static void on_session_signal(void *arg, uint32_t count)
{
	(void)count; /* one look at every connection covers them all */
	round_of(arg, true);
}

static void on_retry_tick(void *arg, uint32_t count)
{
	(void)count;
	round_of(arg, false);
}

void env_reconnect_init(env_t *env)
{
	struct env_reconnect *r = of(env);

	r->session_cap = r->retry_cap = KCAP_INVALID;
	list_init(&r->watched);
	lock_init(&r->lock);
	semaphore_init(&r->wake, 0);
}

void env_reconnect_start(env_t *env)
{
	struct env_reconnect *r = of(env);
	kcap_t session = KCAP_INVALID;

	if (entrypoint_manage_signal(env->ep, &r->retry_signal, on_retry_tick,
	                             env, &r->retry_cap))
		return;
	if (entrypoint_manage_signal(env->ep, &r->session_signal,
	                             on_session_signal, env, &session))
		return;
	/* session.c registers it again after each request, under its lock */
	lock_acquire(&env->priv->session_lock);
	if (parent_session_sigh(env->parent, session) == 0)
		r->session_cap = session;
	else
		kcap_close(session);
	lock_release(&env->priv->session_lock);
}

int connection_watch(connection_t *c,
                     void (*reopened)(connection_t *c, void *ctx), void *ctx)
{
	if (!c->env || !c->service[0])
		return PARENT_ERR_UNKNOWN;
	struct env_reconnect *r = of(c->env);
	LOCK_GUARD(&r->lock);
	if (!c->watched)
		list_insert(&r->watched, &c->watch_elem, NULL);
	c->watched = true;
	c->reopened = reopened;
	c->reopened_ctx = ctx;
	return 0;
}

void env_reconnect_withdraw(connection_t *c)
{
	if (!c->watched)
		return;
	LOCK_GUARD(&of(c->env)->lock);
	if (c->pending)
		(void)parent_close(c->env->parent, c->id);
	c->pending = c->due = false;
	c->backoff_ms = 0;
}

void connection_unwatch(connection_t *c)
{
	if (!c->watched)
		return;
	env_reconnect_withdraw(c);
	LOCK_GUARD(&of(c->env)->lock);
	list_remove(&of(c->env)->watched, &c->watch_elem);
	c->watched = false;
}
