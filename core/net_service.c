/*
 * Core's Net service (net_service.h). connect() decides by the policy
 * first (net_policy.c) and only then makes a socket. The connect is
 * non-blocking, so core's entrypoint never waits for the network: the
 * client learns of a refused or unreachable peer at its first read or
 * write of the stream (KERR_REVOKED). accept() does not wait either: it
 * answers `none` while no connection waits, and the client asks again.
 *
 * Out-capabilities stay the server's (the kernel sends the client a
 * copy), so the session keeps the stream it handed out until the next
 * connect() or its close; that is also the documented life of a stream
 * (net.rpc): one per session.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_service.h"
#include "net_address.h"
#include "net_policy.h"

#include "net_rpc.h"
#include "root_rpc.h"

struct net_session {
	struct root_session base; /* first member */
	struct net_service *service;
	kcap_t stream; /* the one handed out, or invalid */
	int listen_fd; /* -1 until accept() first asks */
	unsigned listen_port;
};

/* Reads config/net.policy into a malloc'd buffer (*len); NULL without it. */
static char *read_policy(struct net_service *s, size_t *len)
{
	int fd = openat(s->target->config_fd, "net.policy",
	                O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char *text;
	ssize_t n;
	if (fd < 0)
		return NULL;
	text = malloc(NET_POLICY_MAX_BYTES + 1);
	n = text ? read(fd, text, NET_POLICY_MAX_BYTES + 1) : -1;
	close(fd);
	if (n < 0) {
		free(text);
		return NULL;
	}
	*len = (size_t)n; /* one byte over the bound: net_policy refuses it */
	return text;
}

static int connect_to(const struct net_target *t, kcap_t *stream)
{
	int fd = socket(t->addr.ss_family,
	                SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return NET_ERR_UNREACHABLE;
	if (connect(fd, (const struct sockaddr *)&t->addr, t->addr_len) != 0 &&
	    errno != EINPROGRESS) {
		int err = errno;
		close(fd);
		errno = err; /* for the caller's message */
		return NET_ERR_UNREACHABLE;
	}
	stream->sel = fd;
	return 0;
}

/* Hands `fd` out as the session's stream, closing the one before.
 * TCP_NODELAY: a stream carries messages written whole (a link writes
 * each frame at once), so a small one must leave at once instead of
 * waiting for the peer's ACK of the one before (Nagle); failing to set
 * it costs only latency. */
static void hand_out(struct net_session *session, int fd, kcap_t *stream)
{
	int one = 1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	kcap_close(session->stream);
	session->stream.sel = fd;
	*stream = session->stream;
}

static int op_connect(rpc_object_t *self, const char *node, kcap_t *stream)
{
	struct net_session *session = (struct net_session *)self;
	struct net_service *s = session->service;
	struct net_target target;
	const char *why = "there is no config/net.policy: nothing may connect";
	size_t len = 0;
	char *policy = read_policy(s, &len);
	kcap_t fresh;
	int rc = policy ? net_address_decide(policy, len, session->base.label,
	                                     node, &target, &why)
	                : -1;
	free(policy);
	if (rc != 0) {
		target_logf(s->target,
		            "Net session of '%s' may not connect to '%s': %s",
		            session->base.label, node, why);
		return NET_ERR_DENIED;
	}
	rc = connect_to(&target, &fresh);
	if (rc != 0) {
		target_logf(s->target,
		            "Net session of '%s': cannot connect to '%s': %s",
		            session->base.label, node, strerror(errno));
		return rc;
	}
	hand_out(session, fresh.sel, stream);
	return 0;
}

static int listen_on(const struct net_target *t)
{
	int one = 1;
	int fd = socket(t->addr.ss_family,
	                SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (const struct sockaddr *)&t->addr, t->addr_len) != 0 ||
	    listen(fd, 8) != 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Decides by the policy (every call: a changed policy counts at once),
 * starts listening at the first call, then takes a waiting connection
 * without blocking. */
static int op_accept(rpc_object_t *self, uint16_t port, kcap_t *stream)
{
	struct net_session *session = (struct net_session *)self;
	struct net_service *s = session->service;
	struct net_target target;
	const char *why = "there is no config/net.policy: nothing may listen";
	size_t len = 0;
	char *policy = read_policy(s, &len);
	int fd, rc = policy ? net_address_decide_listen(policy, len,
	                                                session->base.label,
	                                                port, &target, &why)
	                    : -1;
	free(policy);
	if (rc != 0) {
		target_logf(s->target,
		            "Net session of '%s' may not listen on port %u: %s",
		            session->base.label, port, why);
		return NET_ERR_DENIED;
	}
	if (session->listen_fd >= 0 && session->listen_port != port) {
		close(session->listen_fd);
		session->listen_fd = -1;
	}
	if (session->listen_fd < 0) {
		session->listen_fd = listen_on(&target);
		if (session->listen_fd < 0) {
			target_logf(
				s->target,
				"Net session of '%s': cannot listen on port %u: %s",
				session->base.label, port, strerror(errno));
			return NET_ERR_UNREACHABLE;
		}
		session->listen_port = port;
	}
	fd = accept4(session->listen_fd, NULL, NULL,
	             SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return NET_ERR_NONE;
	hand_out(session, fd, stream);
	return 0;
}

static const struct net_ops net_ops = { .connect = op_connect,
	                                .accept = op_accept };

static int net_create(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	struct net_session *session = (struct net_session *)base;
	(void)args;
	(void)raw_args;
	(void)why;
	session->service = (struct net_service *)root;
	session->stream = KCAP_INVALID;
	session->listen_fd = -1;
	return 0;
}

static void net_destroy(struct root_component *root, struct root_session *base)
{
	struct net_session *session = (struct net_session *)base;
	(void)root;
	kcap_close(session->stream);
	if (session->listen_fd >= 0)
		close(session->listen_fd);
}

static const struct root_component_ops ops = {
	.create = net_create,
	.destroy = net_destroy,
};

int net_service_init(struct net_service *s, entrypoint_t *ep,
                     struct target *target)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("Net"),
		.iface = &net_rpc,
		.session_ops = &net_ops,
		ROOT_SESSION_LAYOUT(struct net_session, base),
		.ops = &ops,
	};
	s->target = target;
	return root_component_init(&s->base, ep, &config);
}

void net_service_dissolve(struct net_service *s)
{
	root_component_dissolve(&s->base);
}
