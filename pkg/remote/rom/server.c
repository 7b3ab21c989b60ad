/*
 * remote_rom_server: the server side of remote ROMs. On its node it is an
 * ordinary ROM client of each module of config "modules" (what this node
 * exports to the pinned peer); it listens on config "port" through its Net
 * session, takes a link from the peer, and answers each "want" of the
 * peer (rom_wire.h) with the module's content on the channel the want came
 * on, then with every new version as the module's ROM signal comes. A
 * module it does not export is answered as unavailable and logged. When
 * the link dies it waits for the next. The link's state goes to the
 * parent's Report "link" (node.h).
 */
#include <string.h>

#include <runtime/signal.h>
#include <runtime/thread.h>
#include "node.h"
#include "rom_wire.h"

struct server {
	struct node node;
	uint16_t port;
	env_rom_t rom[ROM_WIRE_MODULES_MAX];  /* one per module */
	uint32_t sent[ROM_WIRE_MODULES_MAX];  /* version last sent */
	int channel_of[ROM_WIRE_MODULES_MAX]; /* 0: not asked for */
	signal_receiver_t *rx;
	signal_context_t changed;
	struct thread thread;
};

/* Sends module m's current version on its channel, in chunks. */
static int send_rom(struct server *s, link_t *l, unsigned m)
{
	const env_rom_t *rom = &s->rom[m];
	struct rom_chunk c = { rom->version,
		               rom->data ? ROM_WIRE_AVAILABLE : 0,
		               (uint32_t)rom->size,
		               0,
		               0,
		               NULL };
	uint32_t ch = (uint32_t)s->channel_of[m];
	s->sent[m] = rom->version;
	do {
		uint32_t left = c.total - c.offset, n;
		c.len = left > ROM_WIRE_CHUNK_MAX ? ROM_WIRE_CHUNK_MAX : left;
		c.bytes = (const uint8_t *)rom->data + c.offset;
		n = rom_wire_encode(&c, s->node.msg);
		if (link_send(l, ch, s->node.msg, n, LINK_STALL_MS))
			return -1;
		c.offset += c.len;
	} while (c.offset < c.total);
	return 0;
}

/* Takes every module's newest version. */
static void update_all(struct server *s)
{
	for (unsigned m = 0; m < s->node.module_count; m++)
		env_rom_update(&s->rom[m]);
}

/* A signal while no peer is linked means a new version: take it now. */
static void on_signal_unlinked(void *ctx)
{
	update_all(ctx);
}

/* A want on channel ch: subscribes the module and sends it, or answers
 * that it is not exported. */
static int take_want(struct server *s, link_t *l, uint32_t ch, uint32_t len)
{
	char name[ROM_WIRE_NAME_MAX + 1];
	int m;
	if (ch == 0 || rom_wire_want_decode(s->node.msg, len, name) != 0) {
		env_log(s->node.env,
		        "%s sent a malformed request: dropping the link",
		        s->node.peer.name);
		return -1;
	}
	m = node_module(&s->node, name);
	if (m < 0) {
		struct rom_chunk none = { 0, 0, 0, 0, 0, NULL };
		env_log(s->node.env,
		        "%s asks for ROM \"%s\", which this node does not "
		        "export to it",
		        s->node.peer.name, name);
		return link_send(l, ch, s->node.msg,
		                 rom_wire_encode(&none, s->node.msg),
		                 LINK_STALL_MS)
		               ? -1
		               : 0;
	}
	s->channel_of[m] = (int)ch;
	return send_rom(s, l, (unsigned)m);
}

/* Sends every asked-for module whose version changed. */
static int send_changed(struct server *s, link_t *l)
{
	update_all(s);
	for (unsigned m = 0; m < s->node.module_count; m++)
		if (s->channel_of[m] && s->rom[m].version != s->sent[m] &&
		    send_rom(s, l, m))
			return -1;
	return 0;
}

/* Serves one link until it dies, asleep until the peer sends or a
 * module's signal comes (link_wait() on the receiver of the modules). */
static void serve_link(struct server *s, link_t *l)
{
	uint32_t ch, len;
	int rc = 0;
	memset(s->channel_of, 0, sizeof s->channel_of);
	while (!rc) {
		/* handles wants, credit and pings, and notices a dead link */
		while ((rc = link_recv(l, &ch, s->node.msg, &len, 0)) == 0)
			if ((rc = take_want(s, l, ch, len)) != 0)
				break;
		if (rc != LINK_ERR_TIMEOUT)
			break;
		rc = link_wait(l, -1);
		if (rc == 0)
			rc = send_changed(s, l);
		else if (rc == 1)
			rc = 0;
	}
	env_log(s->node.env, "link to %s down: %s", s->node.peer.name,
	        link_error(l));
	node_report_link(&s->node, NODE_LINK_DOWN, link_error(l));
	link_close(l);
}

static void serve(void *arg)
{
	struct server *s = arg;
	kcap_t sig;
	link_t *l;
	/* a receiver waits on the thread that made it (its waitset's) */
	if (signal_receiver_create(&s->rx) ||
	    signal_receiver_manage(s->rx, &s->changed, &sig)) {
		env_log(s->node.env, "cannot watch the modules");
		return;
	}
	for (unsigned m = 0; m < s->node.module_count; m++)
		if (env_rom_sigh(&s->rom[m], sig)) {
			env_log(s->node.env, "cannot watch ROM \"%s\"",
			        s->node.modules[m]);
			return;
		}
	node_report_link(&s->node, NODE_LINK_CONNECTING, NULL);
	while ((l = node_accept_link(&s->node, s->port, s->rx,
	                             on_signal_unlinked, s)) != NULL) {
		env_log(s->node.env, "link to %s up, serving %u ROM%s",
		        s->node.peer.name, s->node.module_count,
		        s->node.module_count == 1 ? "" : "s");
		node_report_link(&s->node, NODE_LINK_UP, NULL);
		serve_link(s, l);
	}
}

void component_construct(env_t *env)
{
	static struct server s; /* lives as long as the component */
	const cJSON *port;
	if (node_init(&s.node, env) || node_modules_load(&s.node))
		env_exit(env, 1);
	port = cJSON_GetObjectItemCaseSensitive(s.node.config, "port");
	if (!cJSON_IsNumber(port) || port->valuedouble < 1 ||
	    port->valuedouble > 65535) {
		env_log(env, "config needs \"port\" (1-65535)");
		env_exit(env, 1);
	}
	s.port = (uint16_t)port->valueint;
	for (unsigned m = 0; m < s.node.module_count; m++)
		if (env_rom_open(env, s.node.modules[m], &s.rom[m]) != 0) {
			env_log(env, "cannot open ROM \"%s\"",
			        s.node.modules[m]);
			env_exit(env, 1);
		}
	if (thread_start(&s.thread, "link", 0, serve, &s) != 0)
		env_exit(env, 1);
}
