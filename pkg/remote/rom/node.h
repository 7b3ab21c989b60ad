/*
 * What every remote proxy (ROM and RPC, both sides) takes from its config
 * and ROMs (pkg/remote/README.md, "Remote ROM"): the node's identity from
 * the ROMs named by "key" and "cert", the pinned peer from "peer" {"node",
 * "fingerprint"}, the modules the link carries ("modules", ROM proxies:
 * modules.c), and a Net session at the parent; and how it gets its link:
 * the server side accepts the pinned peer (node_accept_link), the client
 * side dials it with back-off (node_dial_link). All tell their parent the
 * link's state through a Report session labelled "link" (init serves it
 * and shows it in its state report; runtime/init/README.md, "Routes to
 * other nodes").
 */
#ifndef REMOTE_ROM_NODE_H
#define REMOTE_ROM_NODE_H

#include <cjson/cJSON.h>

#include <runtime/dataspace.h>
#include <runtime/env.h>
#include <runtime/signal.h>
#include <remote/identity.h>
#include <remote/link.h>

#include "rom_wire.h"

/* The link's state as the Report "link" says it (one of these words). */
#define NODE_LINK_CONNECTING "connecting"  /* no link yet, trying */
#define NODE_LINK_UP         "up"
#define NODE_LINK_DOWN       "down"        /* lost; trying again */
#define NODE_LINK_REFUSED    "refused"     /* a key was refused */

struct node {
	env_t *env;
	cJSON *config;
	identity_t *identity;
	identity_pin_t peer;
	int keepalive_ms; /* config peer.keepalive_ms; 0: link.h's */
	kcap_t net;
	uint32_t net_id;
	const char *modules[ROM_WIRE_MODULES_MAX]; /* config "modules" */
	unsigned module_count;
	kcap_t report;              /* the "link" Report session, or invalid */
	struct dataspace report_ds; /* its buffer, attached */
	int report_tried;
	uint8_t msg[FRAME_PAYLOAD_MAX]; /* one message in or out */
};

/* Reads config, identity and pin, checks that getentropy() works (the
 * TLS link's seed), opens the Net session; logs and returns -1 on any
 * failure. */
int node_init(struct node *n, env_t *env);

/* The config's string `key`, or NULL. */
const char *node_string(const struct node *n, const char *key);

/* Reads config "modules" (1 to ROM_WIRE_MODULES_MAX distinct module
 * names; the ROM proxies only, modules.c); logs and returns -1 when it is
 * not that. */
int node_modules_load(struct node *n);

/* The index of module `name` in "modules", or -1. */
int node_module(const struct node *n, const char *name);

/* Reports the link's state (NODE_LINK_*) and why (or NULL) to the parent;
 * one thread at a time. Without a Report session it does nothing (said
 * once in the log). */
void node_report_link(struct node *n, const char *state, const char *why);

/* The server side: waits for the pinned peer to connect on `port`,
 * asking core again every 100 ms while no connection waits, and opens
 * the link (a refused key logged and reported). Meanwhile it waits on
 * `rx`, a receiver of the calling thread, and calls signalled(ctx) (if
 * not NULL) when one of its signals came. The link's stream waits on rx
 * too (stream_cap(), link_wait()). NULL, logged and reported, when the
 * port cannot be used. */
link_t *node_accept_link(struct node *n, uint16_t port, signal_receiver_t *rx,
                         void (*signalled)(void *ctx), void *ctx);

/* The client side: dials the pinned peer through the Net session until a
 * link stands, one attempt at a time with back-off (100 ms doubling up
 * to 2 s), reporting each failure's state (a refused key, else
 * "connecting", or "down" when `was_up`) and logging the first and every
 * tenth. The link's stream waits on `rx`, a receiver of the calling
 * thread, which also times the pauses. */
link_t *node_dial_link(struct node *n, signal_receiver_t *rx, int was_up);

#endif
