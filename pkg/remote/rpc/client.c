/*
 * remote_rpc_client: the client side of a remote service. On its node it
 * serves the service named in its config ("service", e.g. "Counter") with
 * the interface named there ("interface", any of the descriptor table;
 * without it the one named after the service, iface_for_service),
 * and forwards every session to the remote_rpc_server of the pinned peer
 * (config "peer"), which opens it at its own parent (pkg/remote/README.md,
 * "RPC across"). A link thread dials the peer through the Net session,
 * with back-off, again after each loss.
 *
 * A session request while the link is down is refused with the reason.
 * When the link goes, every session of the old link is closed: its
 * capability is revoked, so its client sees KERR_REVOKED and takes the
 * runtime's reconnection path (connection_reopen), which succeeds once
 * the link is up again. The link's state goes to the parent's Report
 * "link" (node.h).
 */
#include <stdio.h>
#include <string.h>

#include <runtime/container_of.h>
#include <runtime/root_component.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

#include "iface_table.h"
#include "node.h"
#include "proxy.h"
#include "root_rpc.h"
#include "service_arg.h"

struct client {
	struct node node;
	struct proxy *proxy;
	struct root_component root;
	struct thread thread;
	signal_dispatcher_t down; /* the link went: revoke sessions */
	kcap_t down_cap;
	uint32_t next_session;
	const char *service; /* config "service" */
	unsigned refusals;   /* in a row */
	char why[PROXY_WHY_MAX + 64];
};

struct rpc_session {
	struct root_session base;
	struct proxy_target target;
};

static struct proxy_target *session_target(rpc_object_t *obj)
{
	return &container_of(root_session_of(obj), struct rpc_session, base)
	                ->target;
}

static const struct proxy_target_of session_ops = { session_target };

static int create_session(struct root_component *root,
                          struct root_session *base,
                          const struct session_args *args, const char *raw_args,
                          const char **why)
{
	struct rpc_session *s = container_of(base, struct rpc_session, base);
	struct client *c = root_component_server(root);
	char forwarded[PROXY_ARGS_MAX + 1];
	(void)args;
	/* the peer's server proxy checks that it exports this service */
	if (service_arg_add(forwarded, sizeof forwarded, raw_args,
	                    c->service)) {
		*why = "the session's arguments leave no room for the service's name";
		return ROOT_ERR_DENIED;
	}
	if (proxy_open(c->proxy, ++c->next_session, forwarded, &s->target,
	               c->why, sizeof c->why)) {
		/* a client retrying while the link is down: said now and then */
		if (c->refusals++ % 25 == 0)
			env_log(c->node.env,
			        "session \"%s\" refused: %s (refusal %u)",
			        base->label, c->why, c->refusals);
		*why = c->why;
		return ROOT_ERR_DENIED;
	}
	c->refusals = 0;
	env_log(c->node.env, "session \"%s\" open on %s", base->label,
	        c->node.peer.name);
	return 0;
}

static void destroy_session(struct root_component *root,
                            struct root_session *base)
{
	struct rpc_session *s = container_of(base, struct rpc_session, base);
	struct client *c = root_component_server(root);
	proxy_close(c->proxy, s->target.session);
}

static const struct root_component_ops root_ops = {
	.create = create_session,
	.destroy = destroy_session,
};

/* Entrypoint: closes every session of a link that went. */
static void on_down(signal_dispatcher_t *d, uint32_t count)
{
	struct client *c = container_of(d, struct client, down);
	struct list_elem *e = root_component_first(&c->root);
	unsigned closed = 0;
	(void)count;
	while (e) {
		struct root_session *base = container_of(e, struct root_session,
		                                         elem);
		struct rpc_session *s = container_of(base, struct rpc_session,
		                                     base);
		e = list_next(e);
		if (!proxy_target_live(&s->target)) {
			root_session_close(base);
			closed++;
		}
	}
	if (closed)
		env_log(c->node.env,
		        "closed %u sessions of the lost link to %s", closed,
		        c->node.peer.name);
}

static void link_down(void *ctx)
{
	struct client *c = ctx;
	signal_submit(c->down_cap, 1);
}

/* The proxy's lines go to this component's log. */
static void log_line(void *env, const char *line)
{
	env_log(env, "%s", line);
}

static void link_thread(void *arg)
{
	struct client *c = arg;
	signal_receiver_t *rx = proxy_receiver(c->proxy);
	int was_up = 0;
	if (!rx) {
		env_log(c->node.env, "no signal receiver for the link thread");
		return;
	}
	node_report_link(&c->node, NODE_LINK_CONNECTING, NULL);
	for (;;) {
		link_t *l = node_dial_link(&c->node, rx, was_up);
		env_log(c->node.env, "link to %s up", c->node.peer.name);
		node_report_link(&c->node, NODE_LINK_UP, NULL);
		was_up = 1;
		proxy_run(c->proxy, l);
		node_report_link(&c->node, NODE_LINK_DOWN,
		                 proxy_link_error(c->proxy));
	}
}

void component_construct(env_t *env)
{
	static struct client c; /* lives as long as the component */
	const char *service, *name;
	const rpc_interface_t *iface;
	const struct proxy_config pc = {
		.ep = env->ep,
		.pd = env->pd,
		.log = log_line,
		.log_ctx = env,
		.peer = c.node.peer.name,
		.ctx = &c,
		.link_down = link_down,
	};
	if (node_init(&c.node, env))
		env_exit(env, 1);
	if (proxy_create(&c.proxy, &pc)) {
		env_log(env, "no memory or thread for the proxy");
		env_exit(env, 1);
	}
	service = c.service = node_string(&c.node, "service");
	name = node_string(&c.node, "interface");
	iface = name      ? iface_by_name(name)
	        : service ? iface_for_service(service)
	                  : NULL;
	if (!service || !iface || !proxy_iface(iface)) {
		env_log(env,
		        "config needs \"service\" and an interface declared in an .rpc "
		        "file of the tree: \"interface\", or one named after the service "
		        "(\"%s\": none)",
		        service ? service : "");
		node_report_link(&c.node, NODE_LINK_DOWN,
		                 "no interface for the service");
		env_exit(env, 1);
	}
	const struct root_component_config config = {
		.name = service,
		.iface = proxy_iface(iface),
		.session_ops = &session_ops,
		ROOT_SESSION_LAYOUT(struct rpc_session, base),
		.ram_cost = 4096,
		.cap_cost = 1,
		.ops = &root_ops,
		.server = &c,
	};
	if (signal_dispatcher_init(&c.down, env->ep, on_down, &c.down_cap) ||
	    env_serve(env, &c.root, &config) ||
	    thread_start(&c.thread, "link", (size_t)512 * 1024, link_thread,
	                 &c)) {
		env_log(env, "cannot serve %s", service);
		env_exit(env, 1);
	}
	env_log(env, "serving %s (interface %s) from %s", service, iface->name,
	        c.node.peer.name);
}
