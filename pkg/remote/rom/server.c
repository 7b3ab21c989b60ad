/*
 * remote_rom_server: the server side of a remote ROM. On its node it is an
 * ordinary ROM client of the module named by config "module"; it listens
 * on config "port" through its Net session, takes a link from the pinned
 * peer, sends the module's content and then every new version as its ROM
 * signal comes (rom_wire.h). When the link dies it waits for the next.
 */
#include <runtime/signal.h>
#include <runtime/thread.h>
#include <remote/stream_cap.h>

#include "net_rpc.h"
#include "node.h"
#include "rom_wire.h"

struct server {
	struct node        node;
	uint16_t           port;
	env_rom_t          rom;
	signal_receiver_t *rx;
	signal_context_t   changed;
	struct thread      thread;
};

/* Sends the module's current version, in chunks. */
static int send_rom(struct server *s, link_t *l)
{
	struct rom_chunk c = { s->rom.version, s->rom.data ? ROM_WIRE_AVAILABLE : 0,
	                       (uint32_t)s->rom.size, 0, 0, NULL };
	do {
		uint32_t left = c.total - c.offset, n;
		c.len = left > ROM_WIRE_CHUNK_MAX ? ROM_WIRE_CHUNK_MAX : left;
		c.bytes = (const uint8_t *)s->rom.data + c.offset;
		n = rom_wire_encode(&c, s->node.msg);
		if (link_send(l, REMOTE_ROM_CHANNEL, s->node.msg, n, LINK_STALL_MS))
			return -1;
		c.offset += c.len;
	} while (c.offset < c.total);
	return 0;
}

/* Waits for the pinned peer to connect; asking core again while none. */
static link_t *accept_link(struct server *s)
{
	for (;;) {
		kcap_t stream;
		link_stream_t ls;
		link_config_t cfg = node_link_config(&s->node, 1);
		link_t *l;
		char err[320];
		int rc = net_accept(s->node.net, s->port, &stream);
		if (rc == NET_ERR_NONE) {
			signal_t sig;
			/* a signal meanwhile means a new version: take it now */
			if (signal_receiver_wait(s->rx, &sig, 100) == 0)
				env_rom_update(&s->rom);
			continue;
		}
		if (rc) {
			env_log(s->node.env, "cannot accept on port %u: %s", s->port,
			        rc == NET_ERR_DENIED ? "the network policy denies it"
			                             : "cannot listen");
			return NULL;
		}
		if (stream_cap(stream, &ls) != 0)
			continue;
		if (link_open(&l, &ls, &cfg, err, sizeof err) == 0)
			return l;
		env_log(s->node.env, "refused a connection: %s", err);
	}
}

/* Serves one link until it dies. */
static void serve_link(struct server *s, link_t *l)
{
	uint32_t ch, len;
	int rc = send_rom(s, l);
	while (!rc) {
		signal_t sig;
		if (signal_receiver_wait(s->rx, &sig, 200) == 0) {
			env_rom_update(&s->rom);
			rc = send_rom(s, l);
			continue;
		}
		/* handles credit and pings, and notices a dead link */
		rc = link_recv(l, &ch, s->node.msg, &len, 0);
		if (rc == LINK_ERR_TIMEOUT || rc == 0)
			rc = 0;
	}
	env_log(s->node.env, "link to %s down: %s", s->node.peer.name, link_error(l));
	link_close(l);
}

static void serve(void *arg)
{
	struct server *s = arg;
	kcap_t sig;
	link_t *l;
	/* a receiver waits on the thread that made it (its waitset's) */
	if (signal_receiver_create(&s->rx) || signal_receiver_manage(s->rx, &s->changed, &sig)
	    || env_rom_sigh(&s->rom, sig)) {
		env_log(s->node.env, "cannot watch ROM \"%s\"", node_string(&s->node, "module"));
		return;
	}
	while ((l = accept_link(s)) != NULL) {
		env_log(s->node.env, "link to %s up, serving ROM \"%s\"",
		        s->node.peer.name, node_string(&s->node, "module"));
		serve_link(s, l);
	}
}

void component_construct(env_t *env)
{
	static struct server s;    /* lives as long as the component */
	const cJSON *port;
	const char *module;
	if (node_init(&s.node, env))
		env_exit(env, 1);
	port = cJSON_GetObjectItemCaseSensitive(s.node.config, "port");
	module = node_string(&s.node, "module");
	if (cJSON_IsNumber(port) && port->valueint >= 1 &&
	    port->valueint <= 65535 && module) {
		s.port = (uint16_t)port->valueint;
		if (env_rom_open(env, module, &s.rom) == 0 &&
		    thread_start(&s.thread, "link", 0, serve, &s) == 0)
			return;
		env_log(env, "cannot open ROM \"%s\"", module);
	} else {
		env_log(env, "config needs \"module\" and \"port\" (1-65535)");
	}
	env_exit(env, 1);
}
