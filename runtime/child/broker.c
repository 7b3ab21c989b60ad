/*
 * The session broker of runtime/child: the slow steps of a child's session
 * request, each on a worker thread of its own with a deadline, so that
 * neither the parent's entrypoint nor another child ever waits for a
 * server (core/README.md, "Sessions, step by step"). A worker waits for the
 * server's announcement, moves the donated quota, asks the server's root
 * (or the parent's own parent) with a timeout, stores the outcome and
 * submits the client's session signal; close and upgrade workers tell the
 * server and move the quota back.
 *
 * Finished workers are joined by the next spawn or by child_broker_drain().
 */
#include "child_internal.h"

#include <stdlib.h>
#include <string.h>

#include <runtime/invariant.h>
#include <runtime/str.h>

#include "cpu_rpc.h"
#include "parent_rpc.h"
#include "pd_rpc.h"
#include "root_rpc.h"

#define WORKER_STACK ((size_t)128 * 1024u)

enum job { JOB_OPEN, JOB_UPGRADE, JOB_CLOSE };

struct worker {
	struct list_elem elem; /* in broker->workers */
	child_broker_t *broker;
	kthread_t *thread;
	bool done;            /* under broker->lock */
	const child_t *child; /* whose session it works on */
	enum job job;
	struct child_session *session; /* JOB_OPEN, JOB_CLOSE */
	/* JOB_UPGRADE works on copies: the session may close meanwhile. */
	enum child_route_kind kind;
	kcap_t root, cap;
	uint32_t parent_id;
	char args[CHILD_ARGS_MAX + 1];
};

int child_broker_create(child_broker_t **broker,
                        const struct child_broker_config *config)
{
	child_broker_t *b;

	if (!config->ep || !config->host || !config->registry ||
	    config->timeout_ms <= 0)
		return KERR_INVALID;
	b = calloc(1, sizeof(*b));
	if (!b)
		return KERR_NOMEM;
	b->ep = config->ep;
	b->host = config->host;
	b->registry = config->registry;
	b->timeout_ms = config->timeout_ms;
	b->sessions_changed = config->sessions_changed;
	b->sessions_changed_ctx = config->sessions_changed_ctx;
	lock_init(&b->lock);
	list_init(&b->workers);
	list_init(&b->children);
	*broker = b;
	return 0;
}

/* Joins the workers that `of` selects (all when `of` is NULL) and the
 * finished ones, until none of them is left. */
static void drain(child_broker_t *b, const child_t *of)
{
	for (;;) {
		struct list taken;
		struct list_elem *e, *next;

		list_init(&taken);
		lock_acquire(&b->lock);
		for (e = list_first(&b->workers); e; e = next) {
			struct worker *w = container_of(e, struct worker, elem);
			next = list_next(e);
			if (of && w->child != of && !w->done)
				continue;
			list_remove(&b->workers, e);
			list_insert(&taken, e, NULL);
		}
		lock_release(&b->lock);
		if (list_empty(&taken))
			return;
		while ((e = list_first(&taken))) {
			struct worker *w = container_of(e, struct worker, elem);
			list_remove(&taken, e);
			kthread_join(w->thread);
			free(w);
		}
	}
}

void child_broker_drain(child_broker_t *b)
{
	drain(b, NULL);
}

void broker_drain_child(child_broker_t *b, const child_t *c)
{
	drain(b, c);
}

void child_broker_destroy(child_broker_t *b)
{
	if (!b)
		return;
	child_broker_drain(b);
	free(b);
}

/* --- the slow steps ------------------------------------------------------ */

static int ms_left(uint64_t deadline_ns)
{
	uint64_t now = kclock_ns();

	return now >= deadline_ns
	               ? 0
	               : (int)((deadline_ns - now + 999999u) / 1000000u);
}

static int root_session_within(kcap_t root, const char *args, kcap_t *session,
                               int timeout_ms)
{
	const rpc_value_t in[1] = { { .data = args } };
	rpc_value_t out[1] = { { .num = 0 } };
	int status = rpc_call_timeout(root, &root_rpc, ROOT_OP_SESSION, in, out,
	                              timeout_ms);

	if (status == 0)
		*session = out[0].cap;
	return status;
}

static int root_close_within(kcap_t root, kcap_t session, int timeout_ms)
{
	const rpc_value_t in[1] = { { .cap = session } };

	return rpc_call_timeout(root, &root_rpc, ROOT_OP_CLOSE, in, NULL,
	                        timeout_ms);
}

static int root_upgrade_within(kcap_t root, kcap_t session, const char *args,
                               int timeout_ms)
{
	const rpc_value_t in[2] = { { .cap = session }, { .data = args } };

	return rpc_call_timeout(root, &root_rpc, ROOT_OP_UPGRADE, in, NULL,
	                        timeout_ms);
}

int broker_move_quota(kcap_t from, kcap_t to, uint64_t ram, uint64_t caps,
                      char *reason, size_t reason_size)
{
	int status;

	if (ram == 0 && caps == 0)
		return 0;
	status = pd_transfer_quota(from, to, ram, caps);
	if (status == 0)
		return 0;
	str_format(reason, reason_size,
	           "moving quota (ram %llu, caps %llu): %s",
	           (unsigned long long)ram, (unsigned long long)caps,
	           rpc_strerror(&pd_rpc, status));
	switch (status) {
	case PD_ERR_OUT_OF_RAM:
		return PARENT_ERR_OUT_OF_RAM;
	case PD_ERR_OUT_OF_CAPS:
		return PARENT_ERR_OUT_OF_CAPS;
	default:
		return PARENT_ERR_DENIED;
	}
}

/* The answer of a root (or of the host) as a parent error, with words. */
static int server_error(int status, const rpc_interface_t *iface, char *reason,
                        size_t reason_size)
{
	str_format(reason, reason_size, "the server: %s",
	           rpc_strerror(iface, status));
	if (status == KERR_TIMEOUT)
		return PARENT_ERR_UNRESPONSIVE;
	if (iface == &parent_rpc && status > 0 && status <= PARENT_ERR_EXISTS)
		return status;
	switch (status) {
	case ROOT_ERR_OUT_OF_RAM:
		return PARENT_ERR_OUT_OF_RAM;
	case ROOT_ERR_OUT_OF_CAPS:
		return PARENT_ERR_OUT_OF_CAPS;
	case ROOT_ERR_INVALID:
		return PARENT_ERR_INVALID;
	default:
		return PARENT_ERR_DENIED;
	}
}

/* Waits until child `s->server` has announced `s->service`, or the
 * deadline; copies its provider into the session. */
static int await_announcement(child_broker_t *b, struct child_session *s,
                              uint64_t deadline, char *reason, size_t size)
{
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sig;
	signal_t received;
	int status;

	if (service_registry_lookup(b->registry, s->service, s->server,
	                            &s->provider) == SERVICE_OK)
		return 0;
	if (signal_receiver_create(&rx))
		return PARENT_ERR_DENIED;
	if (signal_receiver_manage(rx, &ctx, &sig)) {
		signal_receiver_destroy(rx);
		return PARENT_ERR_DENIED;
	}
	service_registry_watch(b->registry, sig);
	for (;;) {
		status = service_registry_lookup(b->registry, s->service,
		                                 s->server, &s->provider);
		if (status != SERVICE_ERR_NOT_FOUND)
			break;
		int left = ms_left(deadline);
		if (left == 0 ||
		    signal_receiver_wait(rx, &received, left) == KERR_CANCELED)
			break;
	}
	service_registry_unwatch(b->registry, sig);
	kcap_close(sig);
	signal_receiver_destroy(rx);
	if (status == SERVICE_OK)
		return 0;
	str_format(reason, size, "\"%s\" did not announce \"%s\" in time",
	           s->server, s->service);
	return PARENT_ERR_UNRESPONSIVE;
}

static void end_at_server(child_broker_t *b, struct child_session *s);

/* A child's own CPU session belongs to the child's PD (cpu.rpc): the
 * parent binds it before handing it out. On failure the session is closed
 * again. */
static int bind_cpu(struct child_session *s, int timeout_ms, char *reason,
                    size_t size)
{
	const rpc_value_t in[1] = { { .cap = s->child->pd } };
	int status = rpc_call_timeout(s->cap, &cpu_rpc, CPU_OP_BIND_PD, in,
	                              NULL, timeout_ms ? timeout_ms : 1);

	if (status == 0)
		return 0;
	str_format(reason, size, "binding the CPU session to the PD: %s",
	           rpc_strerror(&cpu_rpc, status));
	end_at_server(s->child->broker, s);
	kcap_close(s->cap);
	s->cap = KCAP_INVALID;
	return PARENT_ERR_DENIED;
}

/* Opens the session at its server; 0 or a PARENT_ERR_* with words. */
static int open_at_server(child_broker_t *b, struct child_session *s,
                          char *reason, size_t size)
{
	uint64_t deadline = kclock_ns() + (uint64_t)b->timeout_ms * 1000000u;
	const struct child_host *host = b->host;
	int status = 0;

	if (s->kind == CHILD_ROUTE_CHILD)
		status = await_announcement(b, s, deadline, reason, size);
	else if (s->kind == CHILD_ROUTE_PARENT &&
	         kcap_copy(host->pd, &s->provider.pd))
		status = PARENT_ERR_DENIED;
	if (status)
		return status;

	status = broker_move_quota(s->child->pd, s->provider.pd, s->ram,
	                           s->caps, reason, size);
	if (status)
		return status;

	int left = ms_left(deadline);
	if (left == 0) {
		status = KERR_TIMEOUT;
	} else if (s->kind == CHILD_ROUTE_PARENT) {
		status = host->session(host->ctx, s->service, s->args, left,
		                       &s->parent_id, &s->cap);
		if (status)
			status = server_error(status, &parent_rpc, reason,
			                      size);
	} else {
		status = root_session_within(s->provider.root, s->args, &s->cap,
		                             left);
		if (status)
			status = server_error(status, &root_rpc, reason, size);
	}
	if (status == KERR_TIMEOUT)
		status = server_error(status, &root_rpc, reason, size);
	if (!status && s->own_cpu)
		status = bind_cpu(s, ms_left(deadline), reason, size);
	if (status) {
		char ignored[CHILD_REASON_MAX];
		broker_move_quota(s->provider.pd, s->child->pd, s->ram, s->caps,
		                  ignored, sizeof(ignored));
	}
	return status;
}

/* Closes an open session at its server (quota stays where it is). */
static void end_at_server(child_broker_t *b, struct child_session *s)
{
	if (s->kind == CHILD_ROUTE_PARENT)
		b->host->close(b->host->ctx, s->parent_id);
	else
		root_close_within(s->provider.root, s->cap, b->timeout_ms);
}

/* Closes a session that was open at its server and gives the quota back. */
static void close_at_server(child_broker_t *b, struct child_session *s)
{
	char ignored[CHILD_REASON_MAX];

	if (s->state == SESSION_READY && !s->own_pd)
		end_at_server(b, s);
	if (kcap_valid(s->provider.pd))
		broker_move_quota(s->provider.pd, s->child->pd, s->ram, s->caps,
		                  ignored, sizeof(ignored));
}

void session_free(struct child_session *s)
{
	service_provider_close(&s->provider);
	kcap_close(s->cap);
	free(s);
}

void child_notify_sessions(child_t *c)
{
	if (kcap_valid(c->session_sigh))
		ksignal_submit(c->session_sigh, 1);
}

void broker_sessions_changed(child_broker_t *b)
{
	if (b->sessions_changed)
		b->sessions_changed(b->sessions_changed_ctx);
}

static void run_open(child_broker_t *b, struct child_session *s)
{
	char reason[CHILD_REASON_MAX] = "";
	int status = open_at_server(b, s, reason, sizeof(reason));
	child_t *c = s->child;
	bool closed;

	if (status)
		s->ram = s->caps = 0; /* given back, or lost with the reason */
	if (status && c->policy.session_failed)
		c->policy.session_failed(c->policy.ctx, c, s->service, s->label,
		                         status, reason);
	lock_acquire(&b->lock);
	s->state = status ? SESSION_FAILED : SESSION_READY;
	s->error = status;
	c->pending--;
	INVARIANT(child_sessions_ok(c));
	closed = s->close_requested;
	if (!closed)
		child_notify_sessions(c);
	lock_release(&b->lock);
	broker_sessions_changed(b);
	if (closed) {
		close_at_server(b, s);
		session_free(s);
	}
}

static void run_upgrade(child_broker_t *b, struct worker *w)
{
	if (w->kind == CHILD_ROUTE_PARENT)
		b->host->upgrade(b->host->ctx, w->parent_id, w->args);
	else
		root_upgrade_within(w->root, w->cap, w->args, b->timeout_ms);
	kcap_close(w->root);
	kcap_close(w->cap);
}

static void worker_entry(void *arg)
{
	struct worker *w = arg;
	child_broker_t *b = w->broker;

	switch (w->job) {
	case JOB_OPEN:
		run_open(b, w->session);
		break;
	case JOB_CLOSE:
		close_at_server(b, w->session);
		session_free(w->session);
		break;
	case JOB_UPGRADE:
		run_upgrade(b, w);
		break;
	}
	lock_acquire(&b->lock);
	w->done = true;
	lock_release(&b->lock);
}

/* Starts a worker; joins the finished ones first. 0 or KERR_*. */
static int spawn(child_broker_t *b, struct worker *w)
{
	struct list finished;
	struct list_elem *e, *next;
	int err;

	list_init(&finished);
	w->broker = b;
	lock_acquire(&b->lock);
	for (e = list_first(&b->workers); e; e = next) {
		next = list_next(e);
		if (!container_of(e, struct worker, elem)->done)
			continue;
		list_remove(&b->workers, e);
		list_insert(&finished, e, NULL);
	}
	err = kthread_create(&w->thread, "session", WORKER_STACK, worker_entry,
	                     w);
	if (!err)
		list_insert(&b->workers, &w->elem, NULL);
	lock_release(&b->lock);

	while ((e = list_first(&finished))) {
		struct worker *done = container_of(e, struct worker, elem);
		list_remove(&finished, e);
		kthread_join(done->thread);
		free(done);
	}
	return err;
}

static int spawn_job(child_broker_t *b, enum job job, struct child_session *s)
{
	struct worker *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return KERR_NOMEM;
	w->job = job;
	w->session = s;
	w->child = s->child;
	w->root = w->cap = KCAP_INVALID;
	err = spawn(b, w);
	if (err)
		free(w);
	return err;
}

int broker_open(child_broker_t *b, struct child_session *s)
{
	return spawn_job(b, JOB_OPEN, s);
}

void broker_close(child_broker_t *b, struct child_session *s)
{
	/* Without a worker the quota still goes back; only the server is
	 * left to notice the session's end when its client goes. */
	if (spawn_job(b, JOB_CLOSE, s)) {
		char ignored[CHILD_REASON_MAX];
		if (kcap_valid(s->provider.pd))
			broker_move_quota(s->provider.pd, s->child->pd, s->ram,
			                  s->caps, ignored, sizeof(ignored));
		session_free(s);
	}
}

void broker_upgrade(child_broker_t *b, struct child_session *s,
                    const char *args)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (!w)
		return;
	w->job = JOB_UPGRADE;
	w->child = s->child;
	w->kind = s->kind;
	w->parent_id = s->parent_id;
	w->root = w->cap = KCAP_INVALID;
	str_copy(w->args, args, sizeof(w->args));
	if ((kcap_valid(s->provider.root) &&
	     kcap_copy(s->provider.root, &w->root)) ||
	    (kcap_valid(s->cap) && kcap_copy(s->cap, &w->cap)) || spawn(b, w)) {
		kcap_close(w->root);
		kcap_close(w->cap);
		free(w);
	}
}
