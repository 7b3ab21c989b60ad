/*
 * Core's Net service on riscv (net_service.h). connect() and accept()
 * decide by the policy first (core/net_policy.c, linux's code) and only
 * then ask net_ports.c for a stream on the port; neither waits for the
 * network, as on linux: the host's side of a port is open or not at the
 * moment of the call.
 *
 * Out-capabilities stay the server's (the kernel sends the client a
 * copy). On linux the session keeps that copy until the next connect();
 * here it would keep the client's end open after the client closed it,
 * and core could never see that close. So the copy is dropped on the
 * entrypoint right after the reply carried it: the op submits the
 * service's `handed` signal, whose handler runs at the entrypoint's next
 * wait, which sends the held reply first.
 *
 * A proxy that redials asks for an unreachable port again and again: the
 * session says why once, and again only when the port or the reason
 * changed or a connect() succeeded in between (`said`).
 */
#include "net_service.h"
#include "net_policy.h"
#include "net_ports.h"

#include "boot_modules.h"
#include "core_platform.h"
#include "pushed_roms.h"

#include "net_rpc.h"

#include <runtime/str.h>

#include <stdio.h>
#include <string.h>

#define POLICY_MODULE "config/net.policy"

struct net_session {
	struct root_session base; /* first member */
	struct net_service *service;
	kcap_t handed; /* core's copy of the client's end, until the reply */
	/* the last "unreachable" said: its port and reason, none after a
	 * success */
	char said_port[sizeof("net..65535") + NET_NODE_MAX];
	const char *said_why;
};

/* The policy's memory object and size: pushed, else the boot module;
 * -1 without either. */
static int find_policy(kcap_t *mem, size_t *size)
{
	uint64_t generation;
	unsigned index;
	if (pushed_roms_find(POLICY_MODULE, mem, size, &generation) == 1)
		return 0;
	index = boot_module_find(POLICY_MODULE, size);
	return index && boot_module_mem(index, mem) == 0 ? 0 : -1;
}

/* The policy's decision for `node` (connect) or `port` (accept, node
 * NULL): 0 and the entry, or -1 with *why. The policy is mapped, never
 * copied. */
static int decide(const char *label, const char *node, unsigned port,
                  struct net_policy_entry *entry, const char **why)
{
	kcap_t mem;
	size_t size;
	void *text = NULL;
	int rc;
	if (find_policy(&mem, &size) != 0) {
		*why = node ? "there is no config/net.policy: nothing may connect"
		            : "there is no config/net.policy: nothing may listen";
		return -1;
	}
	/* one over the bound is refused by net_policy unread; an empty
	 * module is no JSON */
	if (size > 0 && size <= NET_POLICY_MAX_BYTES &&
	    kmem_map(mem, 0, size, KMEM_READ, NULL, &text) != 0) {
		kcap_close(mem);
		*why = "core cannot map config/net.policy";
		return -1;
	}
	rc = node ? net_policy_peer(text ? text : "", size, label, node, entry,
	                            why)
	          : net_policy_listen(text ? text : "", size, label, port,
	                              entry, why);
	if (text)
		(void)kmem_unmap(text, size);
	kcap_close(mem);
	return rc;
}

/* The stream on the session's way out: the client's end, whose copy
 * core drops after the reply (the top of this file). */
static void hand_out(struct net_session *session, kcap_t client, kcap_t *stream)
{
	kcap_close(session->handed);
	session->handed = client;
	*stream = client;
	(void)ksignal_submit(session->service->handed_cap, 1);
}

/* Port `name` unreachable for `why` (a static sentence): one line,
 * unless it is the one the session said last. */
static void say_unreachable(struct net_session *session, const char *name,
                            const char *why)
{
	if (session->said_why == why && !strcmp(session->said_port, name))
		return;
	target_logf(session->service->target,
	            "Net session of '%s': port '%s' unreachable: %s",
	            session->base.label, name, why);
	session->said_why = why;
	(void)str_format(session->said_port, sizeof(session->said_port), "%s",
	                 name);
}

/* Port `name` attached for the session: 0, or the error after one line
 * (`none` unsaid: the client asks again; `fresh` for accept). */
static int attach(struct net_session *session, const char *name, int fresh,
                  kcap_t *stream)
{
	kcap_t client;
	const char *why;
	switch (net_ports_attach(name, session, &client)) {
	case NET_PORT_ATTACHED:
		session->said_why = NULL;
		hand_out(session, client, stream);
		return 0;
	case NET_PORT_CLOSED:
		if (fresh)
			return NET_ERR_NONE;
		why = "its host side is not open";
		break;
	case NET_PORT_TAKEN:
		return NET_ERR_NONE;
	case NET_PORT_BROKEN:
		why = "its peer sent a malformed stream (until its host side "
		      "opens again)";
		break;
	case NET_PORT_NONE:
		why = "the board has no such port (the host wires none)";
		break;
	case NET_PORT_IN_USE:
		why = "another session's stream is on it";
		break;
	default:
		why = "the kernel made no stream (32 for the machine, in "
		      "core's quota)";
	}
	say_unreachable(session, name, why);
	return NET_ERR_UNREACHABLE;
}

static int op_connect(rpc_object_t *self, const char *node, kcap_t *stream)
{
	struct net_session *session = (struct net_session *)self;
	struct net_policy_entry entry;
	const char *why = "";
	char port[sizeof("net..65535") + NET_NODE_MAX];
	if (decide(session->base.label, node, 0, &entry, &why) != 0) {
		target_logf(session->service->target,
		            "Net session of '%s' may not connect to '%s': %s",
		            session->base.label, node, why);
		return NET_ERR_DENIED;
	}
	/* fits: the policy took only names of NET_NODE_MAX bytes */
	(void)str_format(port, sizeof(port), "net.%s.%u", node, entry.port);
	return attach(session, port, 0, stream);
}

static int op_accept(rpc_object_t *self, uint16_t port, kcap_t *stream)
{
	struct net_session *session = (struct net_session *)self;
	struct net_policy_entry entry;
	const char *why = "";
	char name[sizeof("listen.65535")];
	if (decide(session->base.label, NULL, port, &entry, &why) != 0) {
		target_logf(session->service->target,
		            "Net session of '%s' may not listen on port %u: %s",
		            session->base.label, port, why);
		return NET_ERR_DENIED;
	}
	(void)str_format(name, sizeof(name), "listen.%u", port);
	return attach(session, name, 1, stream);
}

static const struct net_ops net_ops = { .connect = op_connect,
	                                .accept = op_accept };

/* On the entrypoint, after the replies that carried streams went. */
static void drop_handed(void *arg, uint32_t count)
{
	struct net_service *s = arg;
	(void)count;
	for (struct list_elem *e = root_component_first(&s->base); e;
	     e = list_next(e)) {
		struct net_session *session = (struct net_session *)
			container_of(e, struct root_session, elem);
		kcap_close(session->handed);
		session->handed = KCAP_INVALID;
	}
}

static int net_create(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	struct net_session *session = (struct net_session *)base;
	(void)args;
	(void)raw_args;
	(void)why;
	session->service = (struct net_service *)root;
	session->handed = KCAP_INVALID;
	session->said_why = NULL;
	return 0;
}

static void net_destroy(struct root_component *root, struct root_session *base)
{
	struct net_session *session = (struct net_session *)base;
	(void)root;
	net_ports_detach(session);
	kcap_close(session->handed);
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
	int rc = entrypoint_manage_signal(ep, &s->handed, drop_handed, s,
	                                  &s->handed_cap);
	if (rc != 0)
		return rc;
	rc = root_component_init(&s->base, ep, &config);
	if (rc != 0) {
		entrypoint_dissolve_signal(&s->handed);
		kcap_close(s->handed_cap);
	}
	return rc;
}

void net_service_dissolve(struct net_service *s)
{
	root_component_dissolve(&s->base);
	entrypoint_dissolve_signal(&s->handed);
	kcap_close(s->handed_cap);
}
