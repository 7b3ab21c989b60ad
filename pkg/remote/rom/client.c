/*
 * remote_rom_client: the client side of remote ROMs. On its node it is a
 * ROM server: a ROM session whose label ends in one of the config's
 * "modules" shows that module as the remote_rom_server of the pinned peer
 * (config "peer") sends it; other labels are refused. A link thread dials
 * the peer through the Net session (with back-off, again after each
 * loss), asks for every module on its own channel (rom_wire.h), assembles
 * each version, copies it into a dataspace of its own and signals the
 * module's sessions, as a local ROM would. While the link is down the
 * last versions stay (and the log says so). The link's state goes to the
 * parent's Report "link" (node.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/lock.h>
#include <runtime/root_component.h>
#include <runtime/session_args.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

#include "node.h"
#include "pd_rpc.h"
#include "rom_rpc.h"
#include "root_rpc.h"
#include "rom_wire.h"

#define WATCHERS_MAX 16u          /* ROM sessions with a signal, per module */
#define MODULE_MAX   (1u << 20)   /* the largest module accepted */

/* One module's published version and the sessions watching it. */
struct module {
	kcap_t ds; /* the current version, or invalid */
	uint64_t size;
	uint32_t version; /* counts versions published here */
	kcap_t sigh[WATCHERS_MAX];
	struct rom_assembly assembly; /* the link thread's alone */
};

struct client {
	struct node node;
	struct lock lock; /* guards every module but its assembly */
	struct module modules[ROM_WIRE_MODULES_MAX];
	struct root_component rom_root;
	struct thread thread;
	signal_receiver_t *pause; /* the link thread's: back-off, its stream */
};

struct rom_session {
	struct root_session base;
	struct client *client;
	struct module *module;
	int slot; /* in module->sigh[], or -1 */
};

/* --- ROM sessions (entrypoint thread) ----------------------------------- */

static struct rom_session *session_of(rpc_object_t *self)
{
	return container_of(root_session_of(self), struct rom_session, base);
}

static int op_dataspace(rpc_object_t *self, kcap_t *ds, uint64_t *size,
                        uint32_t *version)
{
	struct client *c = session_of(self)->client;
	const struct module *m = session_of(self)->module;
	int rc = ROM_ERR_UNAVAILABLE;
	lock_acquire(&c->lock);
	if (cap_valid(m->ds)) {
		*ds = m->ds;
		*size = m->size;
		*version = m->version;
		rc = 0;
	}
	lock_release(&c->lock);
	return rc;
}

static int op_sigh(rpc_object_t *self, kcap_t sigh)
{
	struct rom_session *s = session_of(self);
	struct client *c = s->client;
	struct module *m = s->module;
	kcap_t copy;
	int rc = 0;
	if (cap_copy(sigh, &copy))
		return RPC_ERR_SERVER;
	lock_acquire(&c->lock);
	if (s->slot < 0)
		for (unsigned i = 0; i < WATCHERS_MAX && s->slot < 0; i++)
			if (!cap_valid(m->sigh[i]))
				s->slot = (int)i;
	if (s->slot < 0) {
		cap_close(copy);
		rc = RPC_ERR_SERVER;
	} else {
		cap_close(m->sigh[s->slot]);
		m->sigh[s->slot] = copy;
		if (cap_valid(
			    m->ds)) /* content came before the signal was set */
			signal_submit(copy, 1);
	}
	lock_release(&c->lock);
	return rc;
}

static const struct rom_ops rom_ops = { .dataspace = op_dataspace,
	                                .sigh = op_sigh };

static int create_rom(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	struct rom_session *s = container_of(base, struct rom_session, base);
	struct client *c = root_component_server(root);
	int index = node_module(&c->node, session_label_last(args->label));
	(void)raw_args;
	if (index < 0) {
		*why = "this proxy carries no such module: its label must end in one of "
		       "config \"modules\"";
		return ROOT_ERR_DENIED;
	}
	s->client = c;
	s->module = &c->modules[index];
	s->slot = -1;
	return 0;
}

static void destroy_rom(struct root_component *root, struct root_session *base)
{
	struct rom_session *s = container_of(base, struct rom_session, base);
	struct client *c = root_component_server(root);
	if (s->slot < 0)
		return;
	lock_acquire(&c->lock);
	cap_close(s->module->sigh[s->slot]);
	s->module->sigh[s->slot] = KCAP_INVALID;
	lock_release(&c->lock);
}

static const struct root_component_ops root_ops = {
	.create = create_rom,
	.destroy = destroy_rom,
};

/* --- the link thread ---------------------------------------------------- */

/* Makes the assembled version of `m` the current one and signals its
 * sessions. */
static void publish(struct client *c, struct module *m)
{
	struct rom_assembly *a = &m->assembly;
	kcap_t ds = KCAP_INVALID, old;
	if (a->flags & ROM_WIRE_AVAILABLE) {
		uint64_t bytes = a->total ? a->total : 1;
		struct dataspace version = DATASPACE_EMPTY;
		if (dataspace_alloc(&version, c->node.env->pd, (size_t)bytes) ||
		    dataspace_attach(&version, true)) {
			dataspace_release(&version);
			env_log(c->node.env, "no RAM for a version of %u bytes",
			        a->total);
			return;
		}
		memcpy(version.addr, a->buf, a->total);
		dataspace_detach(&version);
		ds = version.cap; /* the sessions' now; closed when replaced */
	}
	lock_acquire(&c->lock);
	old = m->ds;
	m->ds = ds;
	m->size = a->total;
	m->version++;
	for (unsigned i = 0; i < WATCHERS_MAX; i++)
		if (cap_valid(m->sigh[i]))
			signal_submit(m->sigh[i], 1);
	lock_release(&c->lock);
	if (cap_valid(old)) {
		pd_free(c->node.env->pd, old);
		cap_close(old);
	}
}

/* Asks for every module, module i on channel i + 1. */
static int send_wants(struct client *c, link_t *l)
{
	for (unsigned i = 0; i < c->node.module_count; i++) {
		c->modules[i].assembly.busy = 0;
		if (link_send(l, i + 1, (const uint8_t *)c->node.modules[i],
		              (uint32_t)strlen(c->node.modules[i]),
		              LINK_STALL_MS))
			return -1;
	}
	return 0;
}

static void run_link(struct client *c, link_t *l)
{
	uint32_t ch, len;
	int rc = send_wants(c, l);
	while (!rc && (rc = link_recv(l, &ch, c->node.msg, &len, -1)) == 0) {
		struct rom_chunk chunk;
		struct module *m = ch >= 1 && ch <= c->node.module_count
		                           ? &c->modules[ch - 1]
		                           : NULL;
		int whole;
		if (!m || rom_wire_decode(c->node.msg, len, &chunk) ||
		    (whole = rom_assembly_add(&m->assembly, &chunk)) < 0) {
			env_log(c->node.env,
			        "%s sent a malformed ROM update: dropping the link",
			        c->node.peer.name);
			break;
		}
		if (whole)
			publish(c, m);
	}
	env_log(c->node.env, "link to %s down: %s", c->node.peer.name,
	        rc ? link_error(l) : "malformed update");
	node_report_link(&c->node, NODE_LINK_DOWN,
	                 rc ? link_error(l) : "malformed update");
	link_close(l);
}

static void link_thread(void *arg)
{
	struct client *c = arg;
	int was_up = 0;
	/* a receiver waits on the thread that made it */
	if (signal_receiver_create(&c->pause)) {
		env_log(c->node.env, "no signal receiver for the link thread");
		return;
	}
	node_report_link(&c->node, NODE_LINK_CONNECTING, NULL);
	for (;;) {
		link_t *l = node_dial_link(&c->node, c->pause, was_up);
		env_log(c->node.env, "link to %s up", c->node.peer.name);
		node_report_link(&c->node, NODE_LINK_UP, NULL);
		was_up = 1;
		run_link(c, l);
	}
}

void component_construct(env_t *env)
{
	static struct client c; /* lives as long as the component */
	const struct root_component_config config = {
		.name = "ROM",
		.iface = &rom_rpc,
		.session_ops = &rom_ops,
		ROOT_SESSION_LAYOUT(struct rom_session, base),
		.ram_cost = 4096,
		.cap_cost = 1,
		.ops = &root_ops,
		.server = &c,
	};
	lock_init(&c.lock);
	if (node_init(&c.node, env) || node_modules_load(&c.node))
		env_exit(env, 1);
	for (unsigned m = 0; m < c.node.module_count; m++) {
		c.modules[m].ds = KCAP_INVALID;
		for (unsigned i = 0; i < WATCHERS_MAX; i++)
			c.modules[m].sigh[i] = KCAP_INVALID;
		c.modules[m].assembly.buf = malloc(MODULE_MAX);
		c.modules[m].assembly.max = MODULE_MAX;
		if (!c.modules[m].assembly.buf) {
			env_log(env, "no memory for module \"%s\"",
			        c.node.modules[m]);
			env_exit(env, 1);
		}
	}
	if (env_serve(env, &c.rom_root, &config) ||
	    thread_start(&c.thread, "link", 0, link_thread, &c))
		env_exit(env, 1);
}
