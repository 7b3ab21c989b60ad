/*
 * The entrypoint (runtime/entrypoint.h): a kernel thread that owns one
 * waitset and serves every RPC object and signal handler added to it.
 *
 * Invariant: the waitset, the object list and the signal sources of an
 * entrypoint are touched only by its own thread. A foreign thread that
 * manages or dissolves something sends a control request over a private
 * endpoint of the entrypoint (its capability never leaves this process) and
 * waits for the reply; the entrypoint thread does the work between two
 * dispatches. So no lock is needed, and once a dissolve has returned no
 * operation of that object is running or will run. Asserted in every
 * function that does such work (the *_here functions).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/entrypoint.h>
#include <runtime/error.h>
#include <runtime/invariant.h>
#include <runtime/signal.h>

/* The entrypoint thread's stack. Not the platform default (8 MiB on
 * Linux): a component's private memory, thread stacks included, counts
 * against its RAM quota, and a small component must still have an
 * entrypoint. Big buffers belong on the heap, not on this stack. */
#define ENTRYPOINT_STACK_SIZE ((size_t)256 * 1024u)

enum control_op {
	CONTROL_MANAGE,
	CONTROL_DISSOLVE,
	CONTROL_MANAGE_SIGNAL,
	CONTROL_DISSOLVE_SIGNAL,
	CONTROL_STOP
};

/* What a foreign thread asks the entrypoint thread to do. It lives on the
 * asker's stack; the control message carries its address, which is fine
 * because the control endpoint is private to this process. */
struct control {
	enum control_op op;
	void *target; /* rpc_object_t or entrypoint_signal_t */
	kcap_t cap;   /* result of a manage */
	int result;
};

struct entrypoint {
	char name[32];
	kthread_t *thread;  /* for join */
	kthread_t *self;    /* the same, as the thread itself sees it */
	kthread_t *creator; /* waits for the thread to start */
	atomic_int started; /* 1 once start_err is set */
	int start_err;
	kwaitset_t *ws;
	kendpoint_t *control;
	kcap_t control_cap;
	rpc_object_t *objects;
	int stopping;
	kmsg_t request;
	kmsg_t reply;
	rpc_frame_t frame;
};

/* --- work done on the entrypoint thread --------------------------------- */

static int on_entrypoint(const entrypoint_t *ep)
{
	return kthread_self() == ep->self;
}

static int manage_here(entrypoint_t *ep, rpc_object_t *obj, kcap_t *cap)
{
	kendpoint_t *endpoint;
	kcap_t new_cap;
	INVARIANT(on_entrypoint(ep));
	int err = kendpoint_create(&endpoint, &new_cap);
	if (err)
		return err;
	err = kwaitset_add_endpoint(ep->ws, endpoint, obj);
	if (err) {
		kendpoint_dissolve(endpoint);
		kcap_close(new_cap);
		return err;
	}
	obj->endpoint = endpoint;
	obj->next = ep->objects;
	ep->objects = obj;
	*cap = new_cap;
	return 0;
}

static void dissolve_here(entrypoint_t *ep, rpc_object_t *obj)
{
	rpc_object_t **link;
	INVARIANT(on_entrypoint(ep));
	for (link = &ep->objects; *link; link = &(*link)->next) {
		if (*link != obj)
			continue;
		*link = obj->next;
		kendpoint_dissolve(obj->endpoint);
		obj->endpoint = NULL;
		obj->next = NULL;
		return;
	}
}

static int manage_signal_here(entrypoint_t *ep, entrypoint_signal_t *sig,
                              kcap_t *cap)
{
	INVARIANT(on_entrypoint(ep));
	return signal_source_attach(ep->ws, sig, &sig->source, cap);
}

static void dissolve_signal_here(entrypoint_t *ep, entrypoint_signal_t *sig)
{
	INVARIANT(on_entrypoint(ep));
	if (!sig->source)
		return;
	signal_source_detach(ep->ws, sig->source);
	sig->source = NULL;
}

static void serve_control(entrypoint_t *ep, const kevent_t *ev)
{
	struct control *c;
	kmsg_t reply = { .size = 0 };
	if (ep->request.size != sizeof c || ep->request.cap_count != 0) { // NOLINT(bugprone-sizeof-expression): the message carries the pointer itself
		rpc_release_caps(&ep->request);
		kipc_reply_drop(ev->reply);
		return;
	}
	memcpy(&c, ep->request.data, sizeof c); // NOLINT(bugprone-sizeof-expression): the message carries the pointer itself
	switch (c->op) {
	case CONTROL_MANAGE:
		c->result = manage_here(ep, c->target, &c->cap);
		break;
	case CONTROL_DISSOLVE:
		dissolve_here(ep, c->target);
		break;
	case CONTROL_MANAGE_SIGNAL:
		c->result = manage_signal_here(ep, c->target, &c->cap);
		break;
	case CONTROL_DISSOLVE_SIGNAL:
		dissolve_signal_here(ep, c->target);
		break;
	case CONTROL_STOP:
		ep->stopping = 1;
		break;
	}
	atomic_thread_fence(memory_order_release);
	kipc_reply(ev->reply, &reply);
}

static void serve_request(entrypoint_t *ep, rpc_object_t *obj,
                          const kevent_t *ev)
{
	rpc_dispatch(obj, &ep->request, &ep->reply, &ep->frame);
	kipc_reply(ev->reply, &ep->reply);
	rpc_release_caps(&ep->request);
}

static int start(entrypoint_t *ep)
{
	int err = kwaitset_create(&ep->ws);
	if (err)
		return err;
	err = kendpoint_create(&ep->control, &ep->control_cap);
	if (!err)
		err = kwaitset_add_endpoint(ep->ws, ep->control, ep);
	if (err) {
		if (ep->control) {
			kendpoint_dissolve(ep->control);
			kcap_close(ep->control_cap);
		}
		kwaitset_destroy(ep->ws);
	}
	return err;
}

static void report_started(entrypoint_t *ep, int err)
{
	ep->start_err = err;
	atomic_store(&ep->started, 1);
	kthread_unpark(ep->creator);
}

static void entrypoint_main(void *arg)
{
	entrypoint_t *ep = arg;
	int err = start(ep);
	ep->self = kthread_self();
	report_started(ep, err);
	while (!err && !ep->stopping) {
		kevent_t ev;
		err = kwaitset_wait(ep->ws, &ev, &ep->request, -1);
		if (err == KERR_CANCELED) {
			err = 0;
		} else if (err) {
			fprintf(stderr, "entrypoint %s: waiting failed: %s\n",
			        ep->name, runtime_strerror(err));
		} else if (ev.kind == KEVENT_SIGNAL) {
			entrypoint_signal_t *sig = ev.cookie;
			sig->handler(sig->arg, ev.count);
		} else if (ev.cookie == ep) {
			serve_control(ep, &ev);
		} else {
			serve_request(ep, ev.cookie, &ev);
		}
	}
	if (!ep->start_err) {
		kendpoint_dissolve(ep->control);
		kwaitset_destroy(ep->ws);
	}
}

/* --- the API, callable from any thread ---------------------------------- */

/* Has the entrypoint thread carry out `c` and waits until it has. */
static int ask(entrypoint_t *ep, struct control *c)
{
	kmsg_t request = { .size = sizeof c }, reply; // NOLINT(bugprone-sizeof-expression): the message carries the pointer itself
	int err;
	memcpy(request.data, &c, sizeof c); // NOLINT(bugprone-sizeof-expression): the message carries the pointer itself
	err = kipc_call(ep->control_cap, &request, &reply, -1);
	atomic_thread_fence(memory_order_acquire);
	return err ? err : c->result;
}

int entrypoint_create(entrypoint_t **out, const char *name)
{
	entrypoint_t *ep = calloc(1, sizeof *ep);
	int err;
	if (!ep)
		return KERR_NOMEM;
	snprintf(ep->name, sizeof ep->name, "%s", name);
	ep->creator = kthread_self();
	ep->control_cap = KCAP_INVALID;
	err = kthread_create(&ep->thread, ep->name, ENTRYPOINT_STACK_SIZE,
	                     entrypoint_main, ep);
	if (err) {
		free(ep);
		return err;
	}
	for (uint32_t t = kthread_park_ticket(); !atomic_load(&ep->started);
	     t = kthread_park_ticket())
		if (!atomic_load(&ep->started))
			kthread_park(t);
	if (ep->start_err) {
		err = ep->start_err;
		kthread_join(ep->thread);
		free(ep);
		return err;
	}
	*out = ep;
	return 0;
}

void entrypoint_destroy(entrypoint_t *ep)
{
	struct control c = { .op = CONTROL_STOP };
	if (!ep)
		return;
	ask(ep, &c);
	kthread_join(ep->thread);
	kcap_close(ep->control_cap);
	free(ep);
}

int entrypoint_manage(entrypoint_t *ep, rpc_object_t *obj,
                      const rpc_interface_t *iface, const void *ops,
                      kcap_t *cap)
{
	struct control c = { .op = CONTROL_MANAGE, .target = obj };
	int err;
	if (!iface || !ops || obj->endpoint)
		return KERR_INVALID;
	obj->iface = iface;
	obj->ops = ops;
	obj->ep = ep;
	if (on_entrypoint(ep))
		return manage_here(ep, obj, cap);
	err = ask(ep, &c);
	if (!err)
		*cap = c.cap;
	return err;
}

void entrypoint_dissolve(rpc_object_t *obj)
{
	struct control c = { .op = CONTROL_DISSOLVE, .target = obj };
	if (!obj->ep || !obj->endpoint)
		return;
	if (on_entrypoint(obj->ep))
		dissolve_here(obj->ep, obj);
	else
		ask(obj->ep, &c);
}

int entrypoint_lookup(entrypoint_t *ep, kcap_t cap, rpc_object_t **obj)
{
	for (rpc_object_t *o = ep->objects; o; o = o->next) {
		if (kendpoint_owns(o->endpoint, cap)) {
			*obj = o;
			return 1;
		}
	}
	return 0;
}

int entrypoint_manage_signal(entrypoint_t *ep, entrypoint_signal_t *sig,
                             void (*handler)(void *arg, uint32_t count),
                             void *arg, kcap_t *cap)
{
	struct control c = { .op = CONTROL_MANAGE_SIGNAL, .target = sig };
	int err;
	if (!handler)
		return KERR_INVALID;
	sig->handler = handler;
	sig->arg = arg;
	sig->ep = ep;
	sig->source = NULL;
	if (on_entrypoint(ep))
		return manage_signal_here(ep, sig, cap);
	err = ask(ep, &c);
	if (!err)
		*cap = c.cap;
	return err;
}

void entrypoint_dissolve_signal(entrypoint_signal_t *sig)
{
	struct control c = { .op = CONTROL_DISSOLVE_SIGNAL, .target = sig };
	if (!sig->ep || !sig->source)
		return;
	if (on_entrypoint(sig->ep))
		dissolve_signal_here(sig->ep, sig);
	else
		ask(sig->ep, &c);
}
