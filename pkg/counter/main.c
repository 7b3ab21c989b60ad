/*
 * The counter component: the server of the demo interface
 * counter_session.rpc. Every session owns a counter and a page of shared
 * memory (a RAM dataspace from the server's PD, paid by the quota the
 * client donated) into which the server writes the value after each
 * change, then submits the session's signal. Announced as "Counter".
 */
#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/env.h>
#include <runtime/root_component.h>
#include <runtime/signal.h>
#include <runtime/str.h>

#include "counter_session_rpc.h"
#include "root_rpc.h"

#define PAGE 4096u
#define SESSION_RAM ((size_t)8 * 1024u)   /* the page and the session's record */

struct counter_server {
	env_t *env;
	struct root_component root;
};

struct counter_session {
	struct root_session base; /* the label is base.label */
	struct counter_server *server;
	struct dataspace page; /* attached writable */
	signal_transmitter_t sigh;
	uint64_t value;
};

static struct counter_session *counter_of(struct root_session *base)
{
	return container_of(base, struct counter_session, base);
}

static struct counter_session *session_of(rpc_object_t *self)
{
	return counter_of(root_session_of(self));
}

/* Writes the value into the shared page: little-endian, then as text. */
static void publish(struct counter_session *s)
{
	unsigned char *page = s->page.addr;

	for (unsigned i = 0; i < 8; i++)
		page[i] = (unsigned char)(s->value >> (8 * i));
	str_format((char *)page + 8, PAGE - 8, "count %llu",
	           (unsigned long long)s->value);
	if (signal_transmitter_valid(&s->sigh))
		signal_transmitter_submit(&s->sigh, 1);
}

static int dataspace_op(rpc_object_t *self, kcap_t *ds)
{
	*ds = session_of(self)->page.cap;
	return 0;
}

static int sigh_op(rpc_object_t *self, kcap_t signal)
{
	struct counter_session *s = session_of(self);

	if (!cap_valid(signal)) {
		signal_transmitter_release(&s->sigh);
		return 0;
	}
	return signal_transmitter_set(&s->sigh, signal) ? RPC_ERR_SERVER : 0;
}

static int increment_op(rpc_object_t *self, uint64_t by, uint64_t *value)
{
	struct counter_session *s = session_of(self);

	if (s->value > UINT64_MAX - by)
		return COUNTER_SESSION_ERR_TOO_BIG;
	s->value += by;
	publish(s);
	*value = s->value;
	return 0;
}

static const struct counter_session_ops session_ops = {
	.dataspace = dataspace_op,
	.sigh = sigh_op,
	.increment = increment_op,
};

/* Releases the page and the signal (what create took). */
static void release(struct counter_session *s)
{
	dataspace_release(&s->page);
	signal_transmitter_release(&s->sigh);
}

static int create_session(struct root_component *root,
                          struct root_session *base,
                          const struct session_args *args, const char *raw_args,
                          const char **why)
{
	(void)args;
	(void)raw_args;
	struct counter_session *s = counter_of(base);

	s->server = root_component_server(root);
	s->sigh = SIGNAL_TRANSMITTER_NONE;
	if (dataspace_alloc(&s->page, s->server->env->pd, PAGE) ||
	    dataspace_attach(&s->page, true)) {
		release(s);
		*why = "the counter's page cannot be allocated";
		return ROOT_ERR_OUT_OF_RAM;
	}
	publish(s);
	env_log(s->server->env, "new counter for \"%s\"", base->label);
	return 0;
}

static void destroy_session(struct root_component *root,
                            struct root_session *base)
{
	(void)root;
	struct counter_session *s = counter_of(base);

	env_log(s->server->env, "counter of \"%s\" closed at %llu", base->label,
	        (unsigned long long)s->value);
	release(s);
}

static const struct root_component_ops root_ops = {
	.create = create_session,
	.destroy = destroy_session,
};

void component_construct(env_t *env)
{
	/* The server lives as long as the component. */
	static struct counter_server server;
	const struct root_component_config config = {
		.name = "Counter",
		.iface = &counter_session_rpc,
		.session_ops = &session_ops,
		ROOT_SESSION_LAYOUT(struct counter_session, base),
		.ram_cost = SESSION_RAM,
		.cap_cost = 1,
		.ops = &root_ops,
		.server = &server,
	};

	server.env = env;
	if (env_serve(env, &server.root, &config))
		env_exit(env, 1);
}
