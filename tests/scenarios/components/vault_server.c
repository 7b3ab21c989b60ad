/*
 * vault-server: the server of tests/scenarios/components/vault.rpc for the
 * remote capability scenario (71). Announced as "Vault"; each session is
 * a vault, make() serves a further vault object whose capability goes to
 * the client, store() keeps a copy of a capability the client hands in,
 * read_stored() returns that vault's total: read directly when it is one
 * of this server's own vaults (the proxy handed it back as such), by a
 * call (add 0) otherwise.
 * Vaults made for a session are dissolved with it.
 */
#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/env.h>
#include <runtime/root_component.h>

#include "root_rpc.h"
#include "vault_rpc.h"

#define CHILDREN_MAX 8u

struct vault_session;

struct child {
	rpc_object_t obj;
	uint64_t total;
	kcap_t cap;
	struct vault_session *owner;
};

struct vault_session {
	struct root_session base; /* its obj is the session's own vault */
	uint64_t total;
	struct child children[CHILDREN_MAX];
	unsigned child_count;
	kcap_t stored;
	env_t *env;
};

static const struct vault_ops session_ops, child_ops;

static struct vault_session *owner_of(rpc_object_t *self)
{
	if (self->ops == &child_ops)
		return container_of(self, struct child, obj)->owner;
	return container_of(root_session_of(self), struct vault_session, base);
}

static uint64_t *total_of(rpc_object_t *self)
{
	if (self->ops == &child_ops)
		return &container_of(self, struct child, obj)->total;
	return &owner_of(self)->total;
}

static int make_op(rpc_object_t *self, uint64_t start, kcap_t *child)
{
	struct vault_session *s = owner_of(self);
	struct child *c;
	if (s->child_count == CHILDREN_MAX)
		return RPC_ERR_SERVER;
	c = &s->children[s->child_count];
	c->total = start;
	c->owner = s;
	if (vault_manage(self->ep, &c->obj, &child_ops, &c->cap))
		return RPC_ERR_SERVER;
	s->child_count++;
	*child = c->cap; /* stays ours: the client gets a copy */
	env_log(s->env, "made vault %u at %llu", s->child_count,
	        (unsigned long long)start);
	return 0;
}

static int add_op(rpc_object_t *self, uint64_t by, uint64_t *total)
{
	uint64_t *t = total_of(self);
	*t += by;
	*total = *t;
	return 0;
}

static int store_op(rpc_object_t *self, kcap_t other)
{
	struct vault_session *s = owner_of(self);
	cap_close(s->stored);
	s->stored = KCAP_INVALID;
	if (cap_valid(other) && cap_copy(other, &s->stored))
		return RPC_ERR_SERVER;
	return 0;
}

static int read_stored_op(rpc_object_t *self, uint64_t *total)
{
	struct vault_session *s = owner_of(self);
	int err;
	rpc_object_t *own;
	if (!cap_valid(s->stored))
		return VAULT_ERR_EMPTY;
	/* one of this server's own vaults: read it (a call would wait for
	 * this very thread) */
	if (entrypoint_lookup(self->ep, s->stored, &own) &&
	    own->ops == &child_ops) {
		env_log(s->env, "the stored vault is one of mine");
		*total = container_of(own, struct child, obj)->total;
		return 0;
	}
	err = vault_add(s->stored, 0, total);
	if (err)
		env_log(s->env, "the stored vault fails: %s",
		        rpc_strerror(&vault_rpc, err));
	return err ? VAULT_ERR_NOT_A_VAULT : 0;
}

static const struct vault_ops session_ops = {
	.make = make_op,
	.add = add_op,
	.store = store_op,
	.read_stored = read_stored_op,
};
static const struct vault_ops child_ops = {
	.make = make_op,
	.add = add_op,
	.store = store_op,
	.read_stored = read_stored_op,
};

static int create_session(struct root_component *root,
                          struct root_session *base,
                          const struct session_args *args, const char *raw_args,
                          const char **why)
{
	struct vault_session *s = container_of(base, struct vault_session,
	                                       base);
	(void)args;
	(void)raw_args;
	(void)why;
	s->env = root_component_server(root);
	s->stored = KCAP_INVALID;
	env_log(s->env, "new vault for \"%s\"", base->label);
	return 0;
}

static void destroy_session(struct root_component *root,
                            struct root_session *base)
{
	struct vault_session *s = container_of(base, struct vault_session,
	                                       base);
	(void)root;
	for (unsigned i = 0; i < s->child_count; i++) {
		entrypoint_dissolve(&s->children[i].obj);
		cap_close(s->children[i].cap);
	}
	cap_close(s->stored);
	env_log(s->env, "vault of \"%s\" closed with %u children", base->label,
	        s->child_count);
}

static const struct root_component_ops root_ops = {
	.create = create_session,
	.destroy = destroy_session,
};

void component_construct(env_t *env)
{
	static struct root_component root; /* lives as long as the component */
	const struct root_component_config config = {
		.name = "Vault",
		.iface = &vault_rpc,
		.session_ops = &session_ops,
		ROOT_SESSION_LAYOUT(struct vault_session, base),
		.ram_cost = 4096,
		.cap_cost = 1,
		.ops = &root_ops,
		.server = env,
	};
	if (env_serve(env, &root, &config))
		env_exit(env, 1);
}
