/*
 * The counter component: the server of the demo interface
 * counter_session.rpc. Every session owns a counter and a page of shared
 * memory (a RAM dataspace from the server's PD, paid by the quota the
 * client donated) into which the server writes the value after each
 * change, then submits the session's signal. Announced as "Counter".
 */
#include <stdlib.h>
#include <string.h>

#include <runtime/arg_string.h>
#include <runtime/container_of.h>
#include <runtime/env.h>
#include <runtime/str.h>

#include "counter_session_rpc.h"
#include "parent_rpc.h"
#include "pd_rpc.h"
#include "root_rpc.h"

#define PAGE 4096u
#define SESSION_RAM ((size_t)8 * 1024u)   /* the page and the session's record */

struct counter_server {
	env_t *env;
	rpc_object_t root;
	kcap_t root_cap;
};

struct counter_session {
	rpc_object_t obj;
	struct counter_server *server;
	kcap_t cap;
	kcap_t ds;
	unsigned char *page;       /* mapped writable */
	kcap_t sigh;
	uint64_t value;
	char label[ROOT_SESSION_ARGS_MAX + 1];
};

static struct counter_session *session_of(rpc_object_t *self)
{
	return container_of(self, struct counter_session, obj);
}

/* Writes the value into the shared page: little-endian, then as text. */
static void publish(struct counter_session *s)
{
	for (unsigned i = 0; i < 8; i++)
		s->page[i] = (unsigned char)(s->value >> (8 * i));
	str_format((char *)s->page + 8, PAGE - 8, "count %llu",
	           (unsigned long long)s->value);
	if (kcap_valid(s->sigh))
		ksignal_submit(s->sigh, 1);
}

static int dataspace_op(rpc_object_t *self, kcap_t *ds)
{
	*ds = session_of(self)->ds;
	return 0;
}

static int sigh_op(rpc_object_t *self, kcap_t signal)
{
	struct counter_session *s = session_of(self);
	kcap_t copy = KCAP_INVALID;

	if (kcap_valid(signal) && kcap_copy(signal, &copy))
		return RPC_ERR_SERVER;
	kcap_close(s->sigh);
	s->sigh = copy;
	return 0;
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

static void free_session(struct counter_session *s)
{
	env_t *env = s->server->env;

	if (s->page)
		kmem_unmap(s->page, PAGE);
	if (kcap_valid(s->ds)) {
		pd_free(env->pd, s->ds);
		kcap_close(s->ds);
	}
	kcap_close(s->sigh);
	free(s);
}

static int root_session_op(rpc_object_t *self, const char *args, kcap_t *cap)
{
	struct counter_server *server = container_of(self, struct counter_server, root);
	uint64_t ram = 0;
	struct counter_session *s;
	void *page;

	if (arg_string_get_size(args, ROOT_SESSION_ARGS_MAX + 1, "ram_quota", &ram) ||
	    ram < SESSION_RAM)
		return ROOT_ERR_OUT_OF_RAM;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ROOT_ERR_OUT_OF_RAM;
	s->server = server;
	s->sigh = s->ds = KCAP_INVALID;
	arg_string_get_string(args, ROOT_SESSION_ARGS_MAX + 1, "label", s->label,
	                      sizeof(s->label));
	if (pd_alloc(server->env->pd, PAGE, &s->ds) ||
	    kmem_map(s->ds, 0, PAGE, KMEM_READ | KMEM_WRITE, NULL, &page)) {
		free_session(s);
		return ROOT_ERR_OUT_OF_RAM;
	}
	s->page = page;
	publish(s);
	if (counter_session_manage(self->ep, &s->obj, &session_ops, &s->cap)) {
		free_session(s);
		return ROOT_ERR_DENIED;
	}
	env_log(server->env, "new counter for \"%s\"", s->label);
	*cap = s->cap;
	return 0;
}

static struct counter_session *lookup(rpc_object_t *root, kcap_t cap)
{
	rpc_object_t *found;

	if (!entrypoint_lookup(root->ep, cap, &found) ||
	    found->iface != &counter_session_rpc)
		return NULL;
	return session_of(found);
}

static int root_close_op(rpc_object_t *self, kcap_t cap)
{
	struct counter_session *s = lookup(self, cap);

	if (!s)
		return ROOT_ERR_UNKNOWN;
	env_log(s->server->env, "counter of \"%s\" closed at %llu", s->label,
	        (unsigned long long)s->value);
	entrypoint_dissolve(&s->obj);
	kcap_close(s->cap);
	free_session(s);
	return 0;
}

static int root_upgrade_op(rpc_object_t *self, kcap_t cap, const char *args)
{
	return lookup(self, cap) ? 0 : ROOT_ERR_UNKNOWN;
}

static const struct root_ops root_ops = {
	.session = root_session_op,
	.upgrade = root_upgrade_op,
	.close = root_close_op,
};

void component_construct(env_t *env)
{
	/* The server lives as long as the component. */
	static struct counter_server server;
	int err;

	server.env = env;
	err = root_manage(env->ep, &server.root, &root_ops, &server.root_cap);
	if (!err)
		err = parent_announce(env->parent, "Counter", server.root_cap);
	if (err) {
		env_log(env, "cannot serve Counter: %s", env_strerror(err));
		env_exit(env, 1);
	}
}
