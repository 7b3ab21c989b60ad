/*
 * log_server: serves the LOG service (log.rpc) to other components and
 * forwards each line, tagged "[<session label>]", to its own LOG session
 * at its parent; core writes it to the terminal and to DIR/log/. Control
 * characters in a client's line are shown as '?', so no client can forge
 * a line break or a tag of somebody else.
 */
#include <runtime/env.h>
#include <runtime/root_component.h>

#include "log_rpc.h"

#define SESSION_RAM ((size_t)4 * 1024u)

/* A session is the root component's record alone: its label is all a
 * session keeps. */
struct log_server {
	env_t *env;
	struct root_component root;
};

static int write_op(rpc_object_t *self, const char *line)
{
	struct root_session *s = root_session_of(self);
	struct log_server *server = root_component_server(s->root);
	char clean[LOG_WRITE_LINE_MAX + 1];
	size_t i;

	for (i = 0; i < LOG_WRITE_LINE_MAX && line[i]; i++) {
		unsigned char c = (unsigned char)line[i];
		clean[i] = (char)((c < 0x20 || c == 0x7f) ? '?' : c);
	}
	clean[i] = '\0';
	env_log(server->env, "[%s] %s", s->label[0] ? s->label : "?", clean);
	return 0;
}

static const struct log_ops session_ops = { .write = write_op };

/* Nothing to set up or release: the root component does it all. */
static const struct root_component_ops root_ops = { .create = NULL };

void component_construct(env_t *env)
{
	/* The server lives as long as the component. */
	static struct log_server server;
	const struct root_component_config config = {
		.name = "LOG",
		.iface = &log_rpc,
		.session_ops = &session_ops,
		ROOT_SESSION_LAYOUT(struct root_session, obj),
		.ram_cost = SESSION_RAM,
		.cap_cost = 1,
		.ops = &root_ops,
		.server = &server,
	};

	server.env = env;
	if (env_serve(env, &server.root, &config))
		env_exit(env, 1);
}
