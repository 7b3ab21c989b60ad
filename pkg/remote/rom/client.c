/*
 * remote_rom_client: the client side of a remote ROM. On its node it is a
 * ROM server: every ROM session it serves shows the module that the
 * remote_rom_server of the pinned peer (config "peer") sends. A link
 * thread dials the peer through the Net session (with back-off, again
 * after each loss), assembles each version (rom_wire.h), copies it into a
 * dataspace of its own and signals every session, as a local ROM would.
 * While the link is down the last version stays (and the log says so).
 */
#include <stdio.h>
#include <string.h>

#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/lock.h>
#include <runtime/root_component.h>
#include <runtime/signal.h>
#include <runtime/thread.h>
#include <remote/reconnect.h>
#include <remote/stream_cap.h>

#include "net_rpc.h"
#include "node.h"
#include "pd_rpc.h"
#include "rom_rpc.h"
#include "rom_wire.h"

#define WATCHERS_MAX 16u          /* ROM sessions with a signal */
#define MODULE_MAX   (1u << 20)   /* the largest module accepted */

struct client {
	struct node          node;
	struct lock          lock;      /* guards the fields below it */
	kcap_t               ds;        /* the current version, or invalid */
	uint64_t             size;
	uint32_t             version;   /* counts versions published here */
	kcap_t               sigh[WATCHERS_MAX];
	struct rom_assembly  assembly;  /* the link thread's alone */
	struct root_component rom_root;
	struct thread        thread;
};

struct rom_session {
	struct root_session base;
	struct client      *client;
	int                 slot;       /* in sigh[], or -1 */
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
	int rc = ROM_ERR_UNAVAILABLE;
	lock_acquire(&c->lock);
	if (cap_valid(c->ds)) {
		*ds = c->ds;
		*size = c->size;
		*version = c->version;
		rc = 0;
	}
	lock_release(&c->lock);
	return rc;
}

static int op_sigh(rpc_object_t *self, kcap_t sigh)
{
	struct rom_session *s = session_of(self);
	struct client *c = s->client;
	kcap_t copy;
	int rc = 0;
	if (cap_copy(sigh, &copy))
		return RPC_ERR_SERVER;
	lock_acquire(&c->lock);
	if (s->slot < 0)
		for (unsigned i = 0; i < WATCHERS_MAX && s->slot < 0; i++)
			if (!cap_valid(c->sigh[i]))
				s->slot = (int)i;
	if (s->slot < 0) {
		cap_close(copy);
		rc = RPC_ERR_SERVER;
	} else {
		cap_close(c->sigh[s->slot]);
		c->sigh[s->slot] = copy;
		if (cap_valid(c->ds))    /* content came before the signal was set */
			signal_submit(copy, 1);
	}
	lock_release(&c->lock);
	return rc;
}

static const struct rom_ops rom_ops = { .dataspace = op_dataspace, .sigh = op_sigh };

static int create_rom(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	struct rom_session *s = container_of(base, struct rom_session, base);
	(void)args; (void)raw_args; (void)why;
	s->client = root_component_server(root);
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
	cap_close(c->sigh[s->slot]);
	c->sigh[s->slot] = KCAP_INVALID;
	lock_release(&c->lock);
}

static const struct root_component_ops root_ops = {
	.create = create_rom, .destroy = destroy_rom,
};

/* --- the link thread ---------------------------------------------------- */

/* Makes the assembled version the current one and signals every session. */
static void publish(struct client *c)
{
	struct rom_assembly *a = &c->assembly;
	kcap_t ds = KCAP_INVALID, old;
	if (a->flags & ROM_WIRE_AVAILABLE) {
		uint64_t bytes = a->total ? a->total : 1;
		struct dataspace version = DATASPACE_EMPTY;
		if (dataspace_alloc(&version, c->node.env->pd, (size_t)bytes) ||
		    dataspace_attach(&version, true)) {
			dataspace_release(&version);
			env_log(c->node.env, "no RAM for a version of %u bytes", a->total);
			return;
		}
		memcpy(version.addr, a->buf, a->total);
		dataspace_detach(&version);
		ds = version.cap;   /* the sessions' now; closed when replaced */
	}
	lock_acquire(&c->lock);
	old = c->ds;
	c->ds = ds;
	c->size = a->total;
	c->version++;
	for (unsigned i = 0; i < WATCHERS_MAX; i++)
		if (cap_valid(c->sigh[i]))
			signal_submit(c->sigh[i], 1);
	lock_release(&c->lock);
	if (cap_valid(old)) {
		pd_free(c->node.env->pd, old);
		cap_close(old);
	}
}

static int dial(void *ctx, link_stream_t *out, char *err, size_t errlen)
{
	struct client *c = ctx;
	kcap_t stream;
	int rc = net_connect(c->node.net, c->node.peer.name, &stream);
	if (rc) {
		snprintf(err, errlen, "the Net session refused node \"%s\": %s",
		         c->node.peer.name, rpc_strerror(&net_rpc, rc));
		return -1;
	}
	return stream_cap(stream, out);
}

static void on_failure(void *ctx, unsigned attempt, const char *why, uint32_t delay)
{
	struct client *c = ctx;
	if (attempt == 1 || attempt % 10 == 0)
		env_log(c->node.env, "no link to %s (attempt %u): %s; again in %u ms",
		        c->node.peer.name, attempt, why, delay);
}

static void run_link(struct client *c, link_t *l)
{
	uint32_t ch, len;
	int rc;
	while ((rc = link_recv(l, &ch, c->node.msg, &len, -1)) == 0) {
		struct rom_chunk chunk;
		int whole;
		if (ch != REMOTE_ROM_CHANNEL || rom_wire_decode(c->node.msg, len, &chunk)
		    || (whole = rom_assembly_add(&c->assembly, &chunk)) < 0) {
			env_log(c->node.env, "%s sent a malformed ROM update: dropping the link",
			        c->node.peer.name);
			break;
		}
		if (whole)
			publish(c);
	}
	env_log(c->node.env, "link to %s down: %s", c->node.peer.name,
	        rc ? link_error(l) : "malformed update");
	link_close(l);
}

static void link_thread(void *arg)
{
	struct client *c = arg;
	link_config_t cfg = node_link_config(&c->node, 0);
	link_dialer_t dialer = { dial, NULL, on_failure, c, 100, 2000, 0 };
	for (;;) {
		link_t *l;
		char err[320];
		if (link_connect(&l, &dialer, &cfg, err, sizeof err) != 0)
			continue;
		env_log(c->node.env, "link to %s up", c->node.peer.name);
		c->assembly.busy = 0;
		run_link(c, l);
	}
}

void component_construct(env_t *env)
{
	static struct client c;      /* lives as long as the component */
	static uint8_t module[MODULE_MAX];
	const struct root_component_config config = {
		.name = "ROM", .iface = &rom_rpc, .session_ops = &rom_ops,
		ROOT_SESSION_LAYOUT(struct rom_session, base),
		.ram_cost = 4096, .cap_cost = 1, .ops = &root_ops, .server = &c,
	};
	lock_init(&c.lock);
	c.ds = KCAP_INVALID;
	for (unsigned i = 0; i < WATCHERS_MAX; i++)
		c.sigh[i] = KCAP_INVALID;
	c.assembly.buf = module;
	c.assembly.max = MODULE_MAX;
	if (node_init(&c.node, env) || env_serve(env, &c.rom_root, &config)
	    || thread_start(&c.thread, "link", 0, link_thread, &c))
		env_exit(env, 1);
}
