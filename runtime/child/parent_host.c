/*
 * The parent host of runtime/child (child.h, struct child_parent_host):
 * how a component that is a parent opens sessions at its own parent for
 * its children (their PD, their binary's ROM, and sessions routed to the
 * parent). Called from worker threads; the component's session signal is
 * its environment's, so pending answers are polled with growing pauses,
 * each a timed wait on a private signal receiver.
 */
#include "child_internal.h"

#include "parent_rpc.h"

#define POLL_FIRST_MS 1
#define POLL_MAX_MS 32

/* Waits `ms` milliseconds. */
static void pause_ms(int ms)
{
	signal_receiver_t *rx;
	signal_t sig;

	if (signal_receiver_create(&rx))
		return;
	signal_receiver_wait(rx, &sig, ms);
	signal_receiver_destroy(rx);
}

int child_parent_session(kcap_t parent, const char *service, const char *args,
                         int timeout_ms, uint32_t *id, kcap_t *cap)
{
	uint64_t deadline = kclock_ns() + (uint64_t)timeout_ms * 1000000u;
	int pause = POLL_FIRST_MS;
	int status = parent_session_now(parent, service, args, id, cap);

	if (status || kcap_valid(*cap))
		return status;
	while ((status = parent_session_cap(parent, *id, cap)) ==
	       PARENT_ERR_PENDING) {
		if (kclock_ns() >= deadline) {
			parent_close(parent, *id);
			return PARENT_ERR_UNRESPONSIVE;
		}
		pause_ms(pause);
		if (pause < POLL_MAX_MS)
			pause *= 2;
	}
	return status;
}

static int host_session(void *ctx, const char *service, const char *args,
                        int timeout_ms, uint32_t *id, kcap_t *cap)
{
	struct child_parent_host *h = ctx;

	return child_parent_session(h->parent, service, args, timeout_ms, id,
	                            cap);
}

static int host_upgrade(void *ctx, uint32_t id, const char *args)
{
	struct child_parent_host *h = ctx;

	return parent_upgrade(h->parent, id, args);
}

static int host_downgrade(void *ctx, uint32_t id, const char *args)
{
	struct child_parent_host *h = ctx;

	return parent_downgrade(h->parent, id, args);
}

static void host_close(void *ctx, uint32_t id)
{
	struct child_parent_host *h = ctx;

	parent_close(h->parent, id);
}

int child_parent_host_init(struct child_parent_host *h, kcap_t parent)
{
	uint32_t id;
	int status;

	h->parent = parent;
	h->host.session = host_session;
	h->host.upgrade = host_upgrade;
	h->host.downgrade = host_downgrade;
	h->host.close = host_close;
	h->host.ctx = h;
	h->host.pd = KCAP_INVALID;
	status = child_parent_session(parent, "PD", "label=\"\"", 10000, &id,
	                              &h->host.pd);
	return status;
}

void child_parent_host_fini(struct child_parent_host *h)
{
	kcap_close(h->host.pd);
	h->host.pd = KCAP_INVALID;
}
