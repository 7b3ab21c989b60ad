/*
 * What both remote ROM proxies take from their config and ROMs (pkg/remote
 * README.md, "Remote ROM"): the node's identity from the ROMs named by
 * "key" and "cert", the pinned peer from "peer" {"node", "fingerprint"},
 * and a Net session at the parent.
 */
#ifndef REMOTE_ROM_NODE_H
#define REMOTE_ROM_NODE_H

#include <cjson/cJSON.h>

#include <runtime/env.h>
#include <remote/identity.h>
#include <remote/link.h>

struct node {
	env_t          *env;
	cJSON          *config;
	identity_t     *identity;
	identity_pin_t  peer;
	kcap_t          net;
	uint32_t        net_id;
	uint8_t         msg[FRAME_PAYLOAD_MAX];  /* one message in or out */
};

/* Reads config, identity and pin, opens the Net session; logs and returns
 * -1 on any failure. */
int node_init(struct node *n, env_t *env);

/* The link configuration of this node. */
link_config_t node_link_config(const struct node *n, int server);

/* The config's string `key`, or NULL. */
const char *node_string(const struct node *n, const char *key);

#endif
