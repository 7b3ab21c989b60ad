/*
 * Signal receiver and signal contexts (runtime/signal.h): a kernel waitset
 * of the owning thread with one kernel signal source per context. The
 * source's cookie is the context, so a wake-up names the context directly
 * and carries the count the kernel accumulated for it. A watched stream
 * is in the same waitset with its context as cookie, so its readiness
 * wakes the same wait.
 */
#include <stdlib.h>

#include <runtime/signal.h>

struct signal_receiver {
	kwaitset_t *ws;
	signal_context_t *contexts;
	kmsg_t unused; /* kwaitset_wait's message buffer; a
	                               receiver's waitset holds no endpoint */
};

int signal_receiver_create(signal_receiver_t **out)
{
	signal_receiver_t *rx = calloc(1, sizeof *rx);
	int err;
	if (!rx)
		return KERR_NOMEM;
	err = kwaitset_create(&rx->ws);
	if (err) {
		free(rx);
		return err;
	}
	*out = rx;
	return 0;
}

void signal_receiver_destroy(signal_receiver_t *rx)
{
	if (!rx)
		return;
	while (rx->contexts)
		signal_receiver_dissolve(rx, rx->contexts);
	kwaitset_destroy(rx->ws);
	free(rx);
}

int signal_receiver_manage(signal_receiver_t *rx, signal_context_t *ctx,
                           kcap_t *cap)
{
	int err = signal_source_attach(rx->ws, ctx, &ctx->source, cap);
	if (err)
		return err;
	ctx->receiver = rx;
	ctx->next = rx->contexts;
	rx->contexts = ctx;
	return 0;
}

void signal_receiver_dissolve(signal_receiver_t *rx, signal_context_t *ctx)
{
	for (signal_context_t **link = &rx->contexts; *link;
	     link = &(*link)->next) {
		if (*link != ctx)
			continue;
		*link = ctx->next;
		signal_source_detach(rx->ws, ctx->source);
		ctx->source = NULL;
		ctx->receiver = NULL;
		ctx->next = NULL;
		return;
	}
}

int signal_receiver_watch_stream(signal_receiver_t *rx, signal_context_t *ctx,
                                 kcap_t stream)
{
	return kwaitset_add_stream(rx->ws, stream, ctx);
}

void signal_receiver_unwatch_stream(signal_receiver_t *rx, kcap_t stream)
{
	kwaitset_remove_stream(rx->ws, stream);
}

int signal_receiver_wait(signal_receiver_t *rx, signal_t *sig, int timeout_ms)
{
	kevent_t ev;
	int err = kwaitset_wait(rx->ws, &ev, &rx->unused, timeout_ms);
	if (err)
		return err;
	if (ev.kind != KEVENT_SIGNAL && ev.kind != KEVENT_STREAM)
		return KERR_MALFORMED;
	sig->context = ev.cookie;
	sig->count = ev.count;
	return 0;
}

int signal_receiver_poll(signal_receiver_t *rx, signal_t *sig)
{
	return signal_receiver_wait(rx, sig, 0);
}
