/*
 * remote_rpc_server: the server side of a remote service. It listens
 * through its Net session (config "port") for the pinned peer (config
 * "peer"), and for every session the peer's remote_rpc_client forwards it
 * opens one at its own parent, of the service named in its config
 * ("service"), with the arguments the peer gave: an ordinary client on
 * its node, routed by its node's init (pkg/remote/README.md, "RPC
 * across"). The quota of those sessions is this component's own.
 * When the link goes, every session it opened for the peer is closed.
 * The link's state goes to the parent's Report "link" (node.h).
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <runtime/connection.h>
#include <runtime/lock.h>
#include <runtime/thread.h>

#include "node.h"
#include "proxy.h"
#include "service_arg.h"

#define SESSIONS_MAX 64u

struct server {
	struct node node;
	struct proxy *proxy;
	const char *service;
	uint16_t port;
	struct lock lock; /* guards the sessions (worker, link thread) */
	struct {
		uint32_t id;
		int used;
		connection_t conn;
	} sessions[SESSIONS_MAX];
	struct thread thread;
};

/* The proxy's lines go to this component's log. */
static void log_line(void *env, const char *line)
{
	env_log(env, "%s", line);
}

/* The session's arguments without the service it is for, or -1 (why)
 * when that is not the service this proxy exports to the peer. */
static int exported(struct server *s, const char *args, char *out, size_t size,
                    char *why, size_t why_len)
{
	char asked[SERVICE_ARG_NAME_MAX + 1];
	if (service_arg_take(args, out, size, asked) != 0) {
		snprintf(why, why_len,
		         "node %s did not say which service it asks for",
		         s->node.peer.name);
		return -1;
	}
	if (strcmp(asked, s->service) != 0) {
		snprintf(why, why_len,
		         "node %s asks for \"%s\", which this node does not "
		         "export to it (this port serves \"%s\")",
		         s->node.peer.name, asked, s->service);
		return -1;
	}
	return 0;
}

static int open_session(void *ctx, uint32_t id, const char *raw, kcap_t *cap,
                        char *why, size_t why_len)
{
	struct server *s = ctx;
	char args[PROXY_ARGS_MAX + 1];
	int rc = -1;
	if (exported(s, raw, args, sizeof args, why, why_len) != 0) {
		env_log(s->node.env, "session refused: %s", why);
		return -1;
	}
	lock_acquire(&s->lock);
	for (unsigned i = 0; i < SESSIONS_MAX && rc; i++) {
		if (s->sessions[i].used)
			continue;
		rc = connection_open(&s->sessions[i].conn, s->node.env,
		                     s->service, args);
		if (rc) {
			snprintf(why, why_len, "no %s session here: %s",
			         s->service, runtime_strerror(rc));
			break;
		}
		s->sessions[i].used = 1;
		s->sessions[i].id = id;
		*cap = s->sessions[i].conn.cap;
	}
	if (rc && !why[0])
		snprintf(why, why_len, "%u sessions open already",
		         SESSIONS_MAX);
	lock_release(&s->lock);
	if (rc)
		env_log(s->node.env, "session for %s refused: %s",
		        s->node.peer.name, why);
	return rc;
}

static void close_where(struct server *s, int all, uint32_t id)
{
	lock_acquire(&s->lock);
	for (unsigned i = 0; i < SESSIONS_MAX; i++) {
		if (!s->sessions[i].used || (!all && s->sessions[i].id != id))
			continue;
		connection_close(&s->sessions[i].conn);
		s->sessions[i].used = 0;
	}
	lock_release(&s->lock);
}

static void close_session(void *ctx, uint32_t id)
{
	close_where(ctx, 0, id);
}

static void close_all(void *ctx)
{
	close_where(ctx, 1, 0);
}

static const struct proxy_server_ops server_ops = {
	.open = open_session,
	.close = close_session,
	.close_all = close_all,
};

static void serve(void *arg)
{
	struct server *s = arg;
	signal_receiver_t *rx = proxy_receiver(s->proxy);
	link_t *l;
	if (!rx) {
		env_log(s->node.env, "no signal receiver for the link thread");
		return;
	}
	node_report_link(&s->node, NODE_LINK_CONNECTING, NULL);
	while ((l = node_accept_link(&s->node, s->port, rx, NULL, NULL)) !=
	       NULL) {
		env_log(s->node.env, "link to %s up, serving %s",
		        s->node.peer.name, s->service);
		node_report_link(&s->node, NODE_LINK_UP, NULL);
		proxy_run(s->proxy, l);
		node_report_link(&s->node, NODE_LINK_DOWN,
		                 proxy_link_error(s->proxy));
	}
	node_report_link(&s->node, NODE_LINK_DOWN, "cannot accept on the port");
}

void component_construct(env_t *env)
{
	static struct server s; /* lives as long as the component */
	const struct proxy_config pc = {
		.ep = env->ep,
		.pd = env->pd,
		.log = log_line,
		.log_ctx = env,
		.peer = s.node.peer.name,
		.server = &server_ops,
		.ctx = &s,
	};
	const cJSON *port;
	lock_init(&s.lock);
	if (node_init(&s.node, env))
		env_exit(env, 1);
	if (proxy_create(&s.proxy, &pc)) {
		env_log(env, "no memory or thread for the proxy");
		env_exit(env, 1);
	}
	port = cJSON_GetObjectItemCaseSensitive(s.node.config, "port");
	s.service = node_string(&s.node, "service");
	if (!cJSON_IsNumber(port) || port->valueint < 1 ||
	    port->valueint > 65535 || !s.service) {
		env_log(env, "config needs \"service\" and \"port\" (1-65535)");
		env_exit(env, 1);
	}
	s.port = (uint16_t)port->valueint;
	if (thread_start(&s.thread, "link", (size_t)512 * 1024, serve, &s))
		env_exit(env, 1);
}
