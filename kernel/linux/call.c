/*
 * The caller side of IPC on Linux: kipc_call().
 *
 * Replies cannot come back over the capability socket, which every caller
 * of the object shares: whichever thread read first would take another's
 * reply. So a thread's first call to an object opens a private channel, a
 * SOCK_SEQPACKET socket pair whose server end it sends through the
 * capability socket (WIRE_OPEN); every call of that thread to that object
 * then sends its request and reads its reply on the channel.
 *
 * Each thread caches its channels in a table indexed by capability
 * selector, with the identity (device, inode) of the capability behind
 * it. An entry is trusted without a system call while no selector has
 * been closed since it was checked (cap_close_epoch()); otherwise the
 * identity is checked again, so a selector number that now names another
 * object never reaches the old object's channel. A thread's channels are
 * closed when it exits.
 *
 * A server refuses a channel beyond its endpoint's limits by answering it
 * with a bare WIRE_REFUSE (the endpoint is full: KERR_NOMEM) or WIRE_LIMIT
 * (this process has its share: KERR_LIMIT) and closing it, whether the
 * refusal comes in place of the reply or already stops the request from
 * being sent. Either way the request reached no one. A server that drops
 * a request answers with a bare WIRE_DROP: KERR_REVOKED.
 *
 * A channel whose call did not end with its reply (timeout, malformed
 * reply, revocation) is closed and forgotten, so a late reply can never be
 * taken for the reply of a later call. A cached channel that turns out to
 * be closed by the server before the request was sent is replaced once:
 * the request never reached anyone, so sending it again is safe.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <grow/grow.h>

#include "kernel/kernel.h"
#include "cap.h"
#include "error.h"
#include "registry.h"
#include "wire.h"

struct channel {
	int fd;     /* caller end, or -1 */
	int rcv_ms; /* its SO_RCVTIMEO in ms; 0: none (blocks) */
	dev_t dev;  /* identity of the capability it was opened on */
	ino_t ino;
	uint64_t epoch; /* cap_close_epoch() when the identity was checked */
};

struct channel_cache {
	struct channel *by_cap; /* indexed by capability selector */
	size_t count;
};

/* The calling thread's cache; thread-local, so no sharing. */
static _Thread_local struct channel_cache *cache;

/* Key whose destructor closes a thread's channels when it exits; set once
 * for the process under pthread_once. */
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;

static void channel_forget(struct channel *c)
{
	if (c->fd < 0)
		return;
	registry_remove(c->fd);
	close(c->fd);
	c->fd = -1;
}

static void cache_destroy(void *arg)
{
	struct channel_cache *cc = arg;

	for (size_t i = 0; i < cc->count; i++)
		channel_forget(&cc->by_cap[i]);
	if (cache == cc)
		cache = NULL;
	free(cc->by_cap);
	free(cc);
}

/* In a child after fork(): the registry has closed the channels, which
 * belong to the parent; the child starts with none. */
static void cache_fork_child(void)
{
	if (!cache)
		return;
	for (size_t i = 0; i < cache->count; i++)
		cache->by_cap[i].fd = -1;
}

static void cache_key_create(void)
{
	if (pthread_key_create(&cache_key, cache_destroy) != 0)
		abort(); /* at the first call of the process; cannot go on */
	pthread_atfork(NULL, NULL, cache_fork_child);
}

/* The cache entry for selector `sel`, made on demand; NULL without
 * memory. */
static struct channel *cache_entry(int sel)
{
	if (!cache) {
		pthread_once(&cache_key_once, cache_key_create);
		cache = calloc(1, sizeof *cache);
		if (!cache)
			return NULL;
		pthread_setspecific(cache_key, cache);
	}
	if ((size_t)sel >= cache->count) {
		size_t old = cache->count, count = old;
		struct channel *c = grow_array(cache->by_cap, &count,
		                               (size_t)sel + 1, sizeof *c);
		if (!c)
			return NULL;
		for (size_t i = old; i < count; i++)
			c[i] = (struct channel){ .fd = -1 };
		cache->by_cap = c;
		cache->count = count;
	}
	return &cache->by_cap[sel];
}

void call_forget_channel(int sel)
{
	if (cache && sel >= 0 && (size_t)sel < cache->count)
		channel_forget(&cache->by_cap[sel]);
}

/* Whether the cached channel still belongs to the object `sel` names. */
static int channel_current(struct channel *c, int sel)
{
	uint64_t epoch = cap_close_epoch();
	dev_t dev;
	ino_t ino;

	if (c->fd < 0)
		return 0;
	if (c->epoch == epoch)
		return 1;
	if (cap_identity(sel, &dev, &ino) == KERR_OK && dev == c->dev &&
	    ino == c->ino) {
		c->epoch = epoch;
		return 1;
	}
	channel_forget(c);
	return 0;
}

/* Milliseconds left until `deadline`; -1 when there is none. */
static int remaining_ms(int timeout_ms, uint64_t deadline)
{
	if (timeout_ms < 0)
		return -1;
	uint64_t now = kclock_ns();
	return now >= deadline ? 0 : (int)((deadline - now + 999999) / 1000000);
}

/* Waits until `fd` has `events` or the deadline passes. */
static int wait_for(int fd, short events, int timeout_ms, uint64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int n = poll(&p, 1, remaining_ms(timeout_ms, deadline));
		if (n > 0)
			return KERR_OK;
		if (n == 0)
			return KERR_TIMEOUT;
		if (errno != EINTR)
			return kerr_from_errno(errno);
	}
}

/* The error a failed send reports: the peer being gone is a revocation. */
static int send_error(int err)
{
	if (err == EPIPE || err == ECONNREFUSED || err == ECONNRESET ||
	    err == ENOTCONN)
		return KERR_REVOKED;
	return kerr_from_errno(err);
}

/* Opens a channel to the object `sel` names and records it in *c. */
static int channel_open(struct channel *c, int sel, int timeout_ms,
                        uint64_t deadline)
{
	enum kcap_type type = kcap_type((kcap_t){ sel });
	int sv[2];

	if (type != KCAP_TYPE_ENDPOINT || registry_is_internal(sel))
		return type == KCAP_TYPE_NONE || type == KCAP_TYPE_ENDPOINT
		               ? KERR_INVALID
		               : KERR_WRONG_TYPE;
	uint64_t epoch = cap_close_epoch();
	int err = cap_identity(sel, &c->dev, &c->ino);
	if (err != KERR_OK)
		return err;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return kerr_from_errno(errno);
	int sent;
	while ((sent = wire_send_fd(sel, WIRE_OPEN, sv[1])) == -EAGAIN) {
		err = wait_for(sel, POLLOUT, timeout_ms, deadline);
		if (err != KERR_OK)
			break;
	}
	close(sv[1]);
	if (err == KERR_OK && sent != 0)
		err = send_error(-sent);
	if (err == KERR_OK)
		err = registry_add(sv[0], REGISTRY_CLIENT_CHANNEL, NULL);
	if (err != KERR_OK) {
		close(sv[0]);
		return err;
	}
	c->fd = sv[0];
	c->rcv_ms = 0;
	c->epoch = epoch;
	return KERR_OK;
}

/* Sends the request on the channel, waiting for room if need be. */
static int channel_send(int fd, const kmsg_t *request, int timeout_ms,
                        uint64_t deadline)
{
	int sent;

	while ((sent = wire_send(fd, WIRE_REQUEST, request)) == -EAGAIN) {
		int err = wait_for(fd, POLLOUT, timeout_ms, deadline);
		if (err != KERR_OK)
			return err;
	}
	return sent == 0 ? KERR_OK : send_error(-sent);
}

/* The error of a call whose new channel the server refused (`refusal` is
 * what wire_refused() found), or KERR_REVOKED without a refusal. */
static int refusal_error(int refusal)
{
	return refusal == WIRE_LIMITED   ? KERR_LIMIT
	       : refusal == WIRE_REFUSED ? KERR_NOMEM
	                                 : KERR_REVOKED;
}

/* Gets a channel to the object and sends the request on it. */
static int call_send(struct channel *c, int sel, const kmsg_t *request,
                     int timeout_ms, uint64_t deadline)
{
	int cached = channel_current(c, sel);

	for (;;) {
		int err = cached ? KERR_OK
		                 : channel_open(c, sel, timeout_ms, deadline);
		if (err != KERR_OK)
			return err;
		err = channel_send(c->fd, request, timeout_ms, deadline);
		if (err == KERR_OK)
			return KERR_OK;
		if (!cached && err == KERR_REVOKED)
			err = refusal_error(wire_refused(c->fd));
		channel_forget(c);
		if (!(cached && err == KERR_REVOKED))
			return err;
		cached = 0; /* closed while idle: the request reached no one */
	}
}

/* Makes a blocking receive on the channel give up after `ms` (0: never).
 * A caller usually passes the same timeout every time, so the socket
 * option is set only when it changes. */
static int channel_set_timeout(struct channel *c, int ms)
{
	if (c->rcv_ms == ms)
		return KERR_OK;
	struct timeval tv = { .tv_sec = ms / 1000,
		              .tv_usec = (suseconds_t)(ms % 1000) * 1000 };
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
		return kerr_from_errno(errno);
	c->rcv_ms = ms;
	return KERR_OK;
}

/* Receives the reply to the request just sent on the channel. */
static int call_receive(struct channel *c, kmsg_t *reply, int timeout_ms,
                        uint64_t deadline)
{
	int ms = timeout_ms < 0 ? 0 : remaining_ms(timeout_ms, deadline);

	if (timeout_ms >= 0 && ms == 0)
		return KERR_TIMEOUT;
	int err = channel_set_timeout(c, ms);
	if (err != KERR_OK)
		return err;
	switch (wire_recv(c->fd, WIRE_REPLY, reply, 1)) {
	case WIRE_MESSAGE:
		return KERR_OK;
	case WIRE_MALFORMED:
		return KERR_MALFORMED;
	case WIRE_REFUSED:
		return KERR_NOMEM;
	case WIRE_LIMITED:
		return KERR_LIMIT;
	case WIRE_DROPPED:
		return KERR_REVOKED;
	case WIRE_EMPTY: /* SO_RCVTIMEO ran out */
		return KERR_TIMEOUT;
	default:
		return refusal_error(wire_refused(c->fd));
	}
}

int kipc_call(kcap_t cap, const kmsg_t *request, kmsg_t *reply, int timeout_ms)
{
	if (!reply || cap.sel < 0)
		return KERR_INVALID;
	int err = wire_check(request);
	if (err != KERR_OK)
		return err;
	uint64_t deadline = kclock_ns() +
	                    (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) *
	                            1000000u;
	struct channel *c = cache_entry(cap.sel);
	if (!c)
		return KERR_NOMEM;
	err = call_send(c, cap.sel, request, timeout_ms, deadline);
	if (err != KERR_OK)
		return err;
	err = call_receive(c, reply, timeout_ms, deadline);
	if (err != KERR_OK)
		channel_forget(c);
	return err;
}
