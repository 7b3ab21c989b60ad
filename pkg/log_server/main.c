/*
 * log_server: serves the LOG service (log.rpc) to other components and
 * forwards each line, tagged "[<session label>]", to its own LOG session
 * at its parent; core writes it to the terminal and to DIR/log/. Control
 * characters in a client's line are shown as '?', so no client can forge
 * a line break or a tag of somebody else.
 */
#include <stdlib.h>

#include <runtime/arg_string.h>
#include <runtime/container_of.h>
#include <runtime/env.h>
#include <runtime/str.h>

#include "log_rpc.h"
#include "parent_rpc.h"
#include "root_rpc.h"

#define SESSION_RAM ((size_t)4 * 1024u)

struct log_server {
	env_t *env;
	rpc_object_t root;
	kcap_t root_cap;
};

struct log_session {
	rpc_object_t obj;
	struct log_server *server;
	kcap_t cap;
	char label[ROOT_SESSION_ARGS_MAX + 1];
};

static int write_op(rpc_object_t *self, const char *line)
{
	struct log_session *s = container_of(self, struct log_session, obj);
	char clean[LOG_WRITE_LINE_MAX + 1];
	size_t i;

	for (i = 0; i < LOG_WRITE_LINE_MAX && line[i]; i++) {
		unsigned char c = (unsigned char)line[i];
		clean[i] = (char)((c < 0x20 || c == 0x7f) ? '?' : c);
	}
	clean[i] = '\0';
	env_log(s->server->env, "[%s] %s", s->label, clean);
	return 0;
}

static const struct log_ops session_ops = { .write = write_op };

static int root_session_op(rpc_object_t *self, const char *args, kcap_t *cap)
{
	struct log_server *server = container_of(self, struct log_server, root);
	uint64_t ram = 0;
	struct log_session *s;

	if (arg_string_get_size(args, ROOT_SESSION_ARGS_MAX + 1, "ram_quota", &ram) ||
	    ram < SESSION_RAM)
		return ROOT_ERR_OUT_OF_RAM;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ROOT_ERR_OUT_OF_RAM;
	s->server = server;
	if (arg_string_get_string(args, ROOT_SESSION_ARGS_MAX + 1, "label",
	                          s->label, sizeof(s->label)))
		str_copy(s->label, "?", sizeof(s->label));
	if (log_manage(self->ep, &s->obj, &session_ops, &s->cap)) {
		free(s);
		return ROOT_ERR_DENIED;
	}
	*cap = s->cap;
	return 0;
}

static struct log_session *lookup(rpc_object_t *root, kcap_t cap)
{
	rpc_object_t *found;

	if (!entrypoint_lookup(root->ep, cap, &found) || found->iface != &log_rpc)
		return NULL;
	return container_of(found, struct log_session, obj);
}

static int root_close_op(rpc_object_t *self, kcap_t cap)
{
	struct log_session *s = lookup(self, cap);

	if (!s)
		return ROOT_ERR_UNKNOWN;
	entrypoint_dissolve(&s->obj);
	kcap_close(s->cap);
	free(s);
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
	static struct log_server server;
	int err;

	server.env = env;
	err = root_manage(env->ep, &server.root, &root_ops, &server.root_cap);
	if (!err)
		err = parent_announce(env->parent, "LOG", server.root_cap);
	if (err) {
		env_log(env, "cannot serve LOG: %s", env_strerror(err));
		env_exit(env, 1);
	}
}
