/*
 * Waitsets of the kernel interface on Linux: what a server thread blocks
 * on. A waitset is an epoll set holding
 *
 *   - the owning thread's cancel eventfd, so kthread_cancel_blocking()
 *     ends a kwaitset_wait() with KERR_CANCELED;
 *   - the receive end of each endpoint added, on which callers send only
 *     channel openings (see call.c);
 *   - the server end of every channel opened to those endpoints, on which
 *     requests arrive; the waitset owns and closes these. An endpoint has
 *     at most KENDPOINT_MAX_CHANNELS, and at most
 *     KENDPOINT_MAX_CLIENT_CHANNELS from one process: an opening beyond
 *     that is answered with a bare WIRE_REFUSE or WIRE_LIMIT and closed,
 *     so that no client can exhaust the server's descriptors or take every
 *     channel, and its caller learns why. Which process an opening comes
 *     from is what the kernel says in its credentials (SO_PASSCRED on the
 *     endpoint's receive end), never what the client claims;
 *   - the receive end of each signal source added;
 *   - the socket of each stream added (kwaitset_add_stream): it is the
 *     caller's, never read here; its readiness is reported for the
 *     caller to read. Its generation is the waitset's own count of
 *     streams added, since a stream is no registry entry.
 *
 * Each epoll registration carries (descriptor, generation); the waitset's
 * table, indexed by descriptor, says what the descriptor is now, so an
 * event for a descriptor that was closed (and perhaps reused) meanwhile is
 * recognised as stale and ignored. The table is guarded by a mutex because
 * endpoints may be dissolved from other threads; the mutex is never held
 * while blocking.
 *
 * Traffic that is not a well-formed message is dropped here: on an
 * endpoint socket the message (it may come from any holder of the
 * capability), on a channel the whole channel (it belongs to one caller,
 * who broke the protocol). Every receive is non-blocking, so no peer can
 * make the server wait on it.
 *
 * epoll is level-triggered, so an event that is handled without consuming
 * anything comes back at once: kwaitset_wait() must never meet the same
 * error twice. A descriptor that fails is taken out of the epoll set, and
 * where that is impossible (the descriptor is no longer ours) the wait
 * fails with KERR_INVALID instead of spinning. The same goes for an event
 * that names no current watch when nothing was removed meanwhile. After
 * fork(), the child shares the epoll set with its parent but holds none
 * of the descriptors in it (registry.h closes them): a waitset of another
 * process refuses to wait or to take objects, and destroying it there
 * frees its memory and touches no descriptor but its own copy of the
 * epoll set.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <grow/grow.h>

#include "kernel/kernel.h"
#include "endpoint.h"
#include "error.h"
#include "registry.h"
#include "signal.h"
#include "thread.h"
#include "waitset.h"
#include "wire.h"

enum watch_kind {
	WATCH_NONE,
	WATCH_CANCEL,
	WATCH_ENDPOINT,
	WATCH_CHANNEL,
	WATCH_SIGNAL,
	WATCH_STREAM,
};

struct watch {
	uint8_t kind;        /* enum watch_kind */
	uint32_t generation; /* must match the epoll event's */
	void *cookie;
	kendpoint_t *ep;       /* endpoint, channel */
	ksignal_source_t *src; /* signal */
	pid_t client;          /* channel: the process that opened it */
};

struct kwaitset {
	int epfd;
	kthread_t *owner;
	uint64_t process; /* registry_process_epoch() at creation */
	atomic_uint_fast64_t removals; /* watch_remove() calls so far */
	pthread_mutex_t lock;          /* guards everything below */
	struct watch *watches;         /* indexed by descriptor */
	size_t count;
	int carry;        /* a signal source holds unreported counts */
	uint32_t streams; /* streams added so far: their generations */
};

/* The outcome of handling one epoll event. */
enum dispatch {
	DISPATCH_NOTHING, /* nothing for the caller; wait again */
	DISPATCH_EVENT,   /* *event (and *msg) filled */
	DISPATCH_CANCELED,
	DISPATCH_BROKEN, /* an error that would come back for ever */
};

static uint64_t watch_key(int fd, uint32_t generation)
{
	return (uint64_t)generation << 32 | (uint32_t)fd;
}

/* Makes room for descriptor `fd` in the table. Called with the lock. */
static int watch_reserve(kwaitset_t *ws, int fd)
{
	if ((size_t)fd < ws->count)
		return KERR_OK;
	size_t count = ws->count;
	struct watch *w = grow_array(ws->watches, &count, (size_t)fd + 1,
	                             sizeof *w);
	if (!w)
		return KERR_NOMEM;
	memset(w + ws->count, 0, (count - ws->count) * sizeof *w);
	ws->watches = w;
	ws->count = count;
	return KERR_OK;
}

/* Registers `fd` with epoll and the table. Called with the lock. */
static int watch_add(kwaitset_t *ws, int fd, const struct watch *w)
{
	int err = watch_reserve(ws, fd);
	if (err != KERR_OK)
		return err;
	struct epoll_event ev = {
		.events = EPOLLIN,
		.data.u64 = watch_key(fd, w->generation),
	};
	if (epoll_ctl(ws->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return kerr_from_errno(errno);
	ws->watches[fd] = *w;
	return KERR_OK;
}

/* Unregisters `fd`; fails when epoll still holds it (it is not ours).
 * Called with the lock. */
static int watch_remove(kwaitset_t *ws, int fd)
{
	int err = epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL);

	memset(&ws->watches[fd], 0, sizeof ws->watches[fd]);
	atomic_fetch_add(&ws->removals, 1);
	return err == 0 ? KERR_OK : KERR_INVALID;
}

/* Closes the server end of a channel: its caller sees end-of-file and any
 * outstanding reply token goes stale. Called with the lock. */
static int channel_close(kwaitset_t *ws, int fd)
{
	ws->watches[fd].ep->channels--;
	int err = watch_remove(ws, fd);

	registry_remove(fd);
	close(fd);
	return err;
}

/* Whether the waitset was made by the process this one was forked from. */
static int waitset_foreign(const kwaitset_t *ws)
{
	return ws->process != registry_process_epoch();
}

int kwaitset_create(kwaitset_t **ws)
{
	int cancel_fd;

	if (!ws)
		return KERR_INVALID;
	kwaitset_t *w = calloc(1, sizeof *w);
	if (!w)
		return KERR_NOMEM;
	w->owner = kthread_self();
	w->process = registry_process_epoch();
	atomic_init(&w->removals, 0);
	pthread_mutex_init(&w->lock, NULL);
	int err = kthread_cancel_fd(w->owner, &cancel_fd);
	if (err == KERR_OK) {
		w->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (w->epfd < 0)
			err = kerr_from_errno(errno);
	}
	if (err == KERR_OK) {
		struct watch cancel = { .kind = WATCH_CANCEL };
		err = watch_add(w, cancel_fd, &cancel);
		if (err != KERR_OK)
			close(w->epfd);
	}
	if (err != KERR_OK) {
		pthread_mutex_destroy(&w->lock);
		free(w->watches);
		free(w);
		return err;
	}
	*ws = w;
	return KERR_OK;
}

void kwaitset_destroy(kwaitset_t *ws)
{
	if (!ws)
		return;
	pthread_mutex_lock(&ws->lock);
	int foreign = waitset_foreign(ws);
	for (size_t fd = 0; fd < ws->count; fd++) {
		struct watch *w = &ws->watches[fd];
		if (w->kind == WATCH_CHANNEL && !foreign)
			channel_close(ws, (int)fd);
		else if (w->kind == WATCH_ENDPOINT)
			w->ep->waitset = NULL;
		else if (w->kind == WATCH_SIGNAL)
			w->src->waitset = NULL;
	}
	pthread_mutex_unlock(&ws->lock);
	close(ws->epfd);
	pthread_mutex_destroy(&ws->lock);
	free(ws->watches);
	free(ws);
}

int kwaitset_add_endpoint(kwaitset_t *ws, kendpoint_t *ep, void *cookie)
{
	if (!ws || !ep || ep->waitset || waitset_foreign(ws) ||
	    ep->process != ws->process)
		return KERR_INVALID;
	struct watch w = {
		.kind = WATCH_ENDPOINT,
		.generation = ep->generation,
		.cookie = cookie,
		.ep = ep,
	};
	pthread_mutex_lock(&ws->lock);
	int err = watch_add(ws, ep->recv_fd, &w);
	if (err == KERR_OK)
		ep->waitset = ws;
	pthread_mutex_unlock(&ws->lock);
	return err;
}

int kwaitset_add_signal(kwaitset_t *ws, ksignal_source_t *src, void *cookie)
{
	if (!ws || !src || src->waitset || waitset_foreign(ws) ||
	    src->process != ws->process)
		return KERR_INVALID;
	struct watch w = {
		.kind = WATCH_SIGNAL,
		.generation = src->generation,
		.cookie = cookie,
		.src = src,
	};
	pthread_mutex_lock(&ws->lock);
	int err = watch_add(ws, src->recv_fd, &w);
	if (err == KERR_OK) {
		src->waitset = ws;
		ws->carry |= src->carry != 0;
	}
	pthread_mutex_unlock(&ws->lock);
	return err;
}

int kwaitset_add_stream(kwaitset_t *ws, kcap_t stream, void *cookie)
{
	if (!ws || waitset_foreign(ws))
		return KERR_INVALID;
	if (kcap_type(stream) != KCAP_TYPE_STREAM)
		return KERR_WRONG_TYPE;
	pthread_mutex_lock(&ws->lock);
	struct watch w = {
		.kind = WATCH_STREAM,
		.generation = ++ws->streams,
		.cookie = cookie,
	};
	int err = watch_add(ws, stream.sel, &w);
	pthread_mutex_unlock(&ws->lock);
	return err;
}

void kwaitset_remove_stream(kwaitset_t *ws, kcap_t stream)
{
	if (!ws || waitset_foreign(ws) || stream.sel < 0)
		return;
	pthread_mutex_lock(&ws->lock);
	if ((size_t)stream.sel < ws->count &&
	    ws->watches[stream.sel].kind == WATCH_STREAM)
		watch_remove(ws, stream.sel);
	pthread_mutex_unlock(&ws->lock);
}

void kwaitset_remove_endpoint(kwaitset_t *ws, kendpoint_t *ep)
{
	if (ws && ep && ep->waitset == ws)
		waitset_detach_endpoint(ep);
}

void kwaitset_remove_signal(kwaitset_t *ws, ksignal_source_t *src)
{
	if (ws && src && src->waitset == ws)
		waitset_detach_signal(src);
}

void waitset_detach_endpoint(kendpoint_t *ep)
{
	kwaitset_t *ws = ep->waitset;

	if (!ws)
		return;
	pthread_mutex_lock(&ws->lock);
	if (waitset_foreign(ws)) {
		ep->waitset = NULL;
		pthread_mutex_unlock(&ws->lock);
		return;
	}
	for (size_t fd = 0; fd < ws->count; fd++) {
		if (ws->watches[fd].kind == WATCH_CHANNEL &&
		    ws->watches[fd].ep == ep)
			channel_close(ws, (int)fd);
	}
	watch_remove(ws, ep->recv_fd);
	ep->waitset = NULL;
	pthread_mutex_unlock(&ws->lock);
}

void waitset_detach_signal(ksignal_source_t *src)
{
	kwaitset_t *ws = src->waitset;

	if (!ws)
		return;
	pthread_mutex_lock(&ws->lock);
	if (!waitset_foreign(ws))
		watch_remove(ws, src->recv_fd);
	src->waitset = NULL;
	pthread_mutex_unlock(&ws->lock);
}

/* A request on channel `fd`: returned to the caller, or, when it is
 * malformed or breaks the one-request-at-a-time protocol, the channel is
 * closed. Called with the lock. */
static enum dispatch on_channel(kwaitset_t *ws, int fd, kevent_t *event,
                                kmsg_t *msg)
{
	struct watch *w = &ws->watches[fd];
	enum wire_status status = wire_recv(fd, WIRE_REQUEST, msg, 0);

	if (status == WIRE_EMPTY)
		return DISPATCH_NOTHING;
	if (status == WIRE_MESSAGE && registry_begin_request(fd) != KERR_OK) {
		for (uint32_t i = 0; i < msg->cap_count; i++)
			kcap_close(msg->caps[i]);
		status = WIRE_MALFORMED;
	}
	if (status != WIRE_MESSAGE)
		return channel_close(ws, fd) == KERR_OK ? DISPATCH_NOTHING
		                                        : DISPATCH_BROKEN;
	event->kind = KEVENT_REQUEST;
	event->cookie = w->cookie;
	event->count = 0;
	event->reply = (kreply_t){ .channel = fd, .generation = w->generation };
	return DISPATCH_EVENT;
}

/* How many channels process `client` has open to endpoint `ep`. Only
 * at a channel opening, which a caller thread makes once per object, so a
 * walk over the table is cheap enough. Called with the lock. */
static unsigned client_channels(const kwaitset_t *ws, const kendpoint_t *ep,
                                pid_t client)
{
	unsigned n = 0;

	for (size_t fd = 0; fd < ws->count; fd++) {
		const struct watch *w = &ws->watches[fd];
		n += w->kind == WATCH_CHANNEL && w->ep == ep &&
		     w->client == client;
	}
	return n;
}

/* The refusal an opening from `client` gets at endpoint `ep`, or 0 when
 * it may have the channel. Called with the lock. */
static uint32_t channel_refusal(const kwaitset_t *ws, const kendpoint_t *ep,
                                pid_t client)
{
	if (client_channels(ws, ep, client) >= KENDPOINT_MAX_CLIENT_CHANNELS)
		return WIRE_LIMIT;
	if (ep->channels >= KENDPOINT_MAX_CHANNELS)
		return WIRE_REFUSE;
	return 0;
}

/* A channel opening on an endpoint: the channel joins the waitset. Its
 * first request usually follows at once, so it is looked for right away,
 * saving a round through epoll. Called with the lock. */
static enum dispatch on_endpoint(kwaitset_t *ws, int fd, kevent_t *event,
                                 kmsg_t *msg)
{
	struct watch *w = &ws->watches[fd];
	int chan;
	pid_t client;
	enum wire_status status = wire_recv_fd(fd, WIRE_OPEN, &chan, &client);

	if (status == WIRE_CLOSED) {
		/* No capability to the endpoint is left anywhere: no opening
		 * can come any more. Its channels stay. */
		return epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL) == 0
		               ? DISPATCH_NOTHING
		               : DISPATCH_BROKEN;
	}
	if (status != WIRE_MESSAGE)
		return DISPATCH_NOTHING;
	uint32_t refusal = channel_refusal(ws, w->ep, client);
	if (refusal) {
		/* Its queue is empty, so the refusal fits; if not, the
		 * caller sees only the close. */
		wire_send_tag(chan, refusal);
		close(chan);
		return DISPATCH_NOTHING;
	}
	struct watch cw = { .kind = WATCH_CHANNEL,
		            .cookie = w->cookie,
		            .ep = w->ep,
		            .client = client };
	if (registry_add(chan, REGISTRY_SERVER_CHANNEL, &cw.generation) != 0) {
		close(chan);
		return DISPATCH_NOTHING;
	}
	if (watch_add(ws, chan, &cw) != KERR_OK) {
		registry_remove(chan);
		close(chan);
		return DISPATCH_NOTHING;
	}
	cw.ep->channels++; /* not w->ep: watch_add() may move the table */
	return on_channel(ws, chan, event, msg);
}

/* Reports the counts of a signal source, if any. Called with the lock. */
static enum dispatch on_signal(kwaitset_t *ws, int fd, kevent_t *event)
{
	struct watch *w = &ws->watches[fd];
	uint32_t count = 0;

	if (signal_drain(w->src, &count) == SIGNAL_ORPHANED &&
	    epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL) != 0)
		return DISPATCH_BROKEN;
	if (w->src->carry)
		ws->carry = 1;
	if (count == 0)
		return DISPATCH_NOTHING;
	event->kind = KEVENT_SIGNAL;
	event->cookie = w->cookie;
	event->count = count;
	event->reply = (kreply_t){ .channel = -1, .generation = 0 };
	return DISPATCH_EVENT;
}

/* Reports a signal source whose counts did not fit into one event.
 * Called with the lock. */
static enum dispatch on_carry(kwaitset_t *ws, kevent_t *event)
{
	ws->carry = 0;
	for (size_t fd = 0; fd < ws->count; fd++) {
		struct watch *w = &ws->watches[fd];
		if (w->kind == WATCH_SIGNAL && w->src->carry)
			return on_signal(ws, (int)fd, event);
	}
	return DISPATCH_NOTHING;
}

/* The cancel eventfd fired. It is drained whether or not a cancel is
 * still pending (a kthread_park() may have consumed it), or the level-
 * triggered event would fire for ever. Called with the lock. */
static enum dispatch on_cancel(kwaitset_t *ws, int fd)
{
	uint64_t count;

	/* EAGAIN: already drained by kthread_take_cancel() */
	if (read(fd, &count, sizeof count) < 0 && errno != EAGAIN &&
	    errno != EINTR)
		return DISPATCH_BROKEN;
	return kthread_take_cancel(ws->owner) ? DISPATCH_CANCELED
	                                      : DISPATCH_NOTHING;
}

/* Handles the event `key` reported by an epoll_wait() that began when
 * ws->removals was `removals`. Called with the lock. */
static enum dispatch dispatch(kwaitset_t *ws, uint64_t key, uint64_t removals,
                              kevent_t *event, kmsg_t *msg)
{
	int fd = (int)(uint32_t)key;
	uint32_t generation = (uint32_t)(key >> 32);

	if ((size_t)fd >= ws->count || ws->watches[fd].kind == WATCH_NONE ||
	    ws->watches[fd].generation != generation) {
		/* Removed since the event was queued, or else a registration
		 * no watch accounts for, which would come back for ever. */
		return atomic_load(&ws->removals) != removals ? DISPATCH_NOTHING
		                                              : DISPATCH_BROKEN;
	}
	switch (ws->watches[fd].kind) {
	case WATCH_CANCEL:
		return on_cancel(ws, fd);
	case WATCH_ENDPOINT:
		return on_endpoint(ws, fd, event, msg);
	case WATCH_CHANNEL:
		return on_channel(ws, fd, event, msg);
	case WATCH_SIGNAL:
		return on_signal(ws, fd, event);
	case WATCH_STREAM:
		/* readable, at its end or failed: the caller's next read says */
		event->kind = KEVENT_STREAM;
		event->cookie = ws->watches[fd].cookie;
		event->count = 1;
		event->reply = (kreply_t){ .channel = -1, .generation = 0 };
		return DISPATCH_EVENT;
	default:
		return DISPATCH_NOTHING;
	}
}

/* Milliseconds left until `deadline` (ns), for epoll_wait(); -1: none. */
static int remaining_ms(int timeout_ms, uint64_t deadline)
{
	if (timeout_ms < 0)
		return -1;
	uint64_t now = kclock_ns();
	if (now >= deadline)
		return 0;
	return (int)((deadline - now + 999999) / 1000000);
}

int kwaitset_wait(kwaitset_t *ws, kevent_t *event, kmsg_t *msg, int timeout_ms)
{
	if (!ws || !event || !msg || waitset_foreign(ws))
		return KERR_INVALID;
	if (kthread_self() != ws->owner)
		return KERR_DENIED;
	uint64_t deadline = kclock_ns() +
	                    (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) *
	                            1000000u;
	for (;;) {
		enum dispatch d = DISPATCH_NOTHING;
		struct epoll_event ev;
		if (kthread_take_cancel(ws->owner))
			return KERR_CANCELED;
		if (ws->carry) {
			pthread_mutex_lock(&ws->lock);
			d = on_carry(ws, event);
			pthread_mutex_unlock(&ws->lock);
			if (d == DISPATCH_EVENT)
				return KERR_OK;
			if (d == DISPATCH_BROKEN)
				return KERR_INVALID;
		}
		uint64_t removals = atomic_load(&ws->removals);
		int n = epoll_wait(ws->epfd, &ev, 1,
		                   remaining_ms(timeout_ms, deadline));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return kerr_from_errno(errno);
		if (n == 0)
			return KERR_TIMEOUT;
		pthread_mutex_lock(&ws->lock);
		d = dispatch(ws, ev.data.u64, removals, event, msg);
		pthread_mutex_unlock(&ws->lock);
		if (d == DISPATCH_EVENT)
			return KERR_OK;
		if (d == DISPATCH_CANCELED)
			return KERR_CANCELED;
		if (d == DISPATCH_BROKEN)
			return KERR_INVALID;
		/* Traffic that was dropped does not extend the deadline. */
		if (timeout_ms >= 0 && kclock_ns() >= deadline)
			return KERR_TIMEOUT;
	}
}
