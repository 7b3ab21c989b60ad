/*
 * Signal dispatcher (runtime/signal.h): a signal context served by an
 * entrypoint, whose handler runs on the entrypoint thread between RPC
 * requests. The entrypoint does the kernel work (entrypoint.h); this file
 * only adapts the typed handler.
 */
#include <stddef.h>

#include <runtime/signal.h>

static void dispatch(void *arg, uint32_t count)
{
	signal_dispatcher_t *d = arg;
	d->handler(d, count);
}

int signal_dispatcher_init(signal_dispatcher_t *d, entrypoint_t *ep,
                           void (*handler)(signal_dispatcher_t *d,
                                           uint32_t count),
                           kcap_t *cap)
{
	if (!handler)
		return KERR_INVALID;
	d->handler = handler;
	return entrypoint_manage_signal(ep, &d->ep_signal, dispatch, d, cap);
}

void signal_dispatcher_dissolve(signal_dispatcher_t *d)
{
	entrypoint_dissolve_signal(&d->ep_signal);
}
