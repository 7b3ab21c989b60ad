/*
 * The network policy's decision (net_policy.h): parse with cJSON (linear
 * in the text), find the node, check the client, take the entry. Every
 * field is checked by type and bound before it is used. No sockets here:
 * the same objects serve linux and riscv.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "net_policy.h"

#define NO_PEER_ADDRESS \
	"config/net.policy gives the node no numeric \"address\" and \"port\" (1-65535)"
#define NO_LISTEN_ADDRESS "config/net.policy gives the port no numeric \"address\""

/* Whether `label` is `client` or lies below it. */
static int label_below(const char *label, const char *client)
{
	size_t n = strlen(client);
	if (n == 0 || strncmp(label, client, n) != 0)
		return 0;
	return label[n] == '\0' || strncmp(label + n, " -> ", 4) == 0;
}

static int client_allowed(const cJSON *clients, const char *label)
{
	const cJSON *c;
	cJSON_ArrayForEach (c, clients)
		if (cJSON_IsString(c) && label_below(label, c->valuestring))
			return 1;
	return 0;
}

/* A node's name: what a riscv net port may be named after (net.NODE.PORT,
 * core/riscv/net_service.h; kernel/riscv/tool/net_wiring.c takes the
 * same names). */
static int node_name_ok(const char *node)
{
	size_t n = strlen(node);
	if (n == 0 || n > NET_NODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = node[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* The entry's "address" (a string within bounds) and "port" (1..65535,
 * whole) into *e; -1 if either is not so. */
static int take_entry(const cJSON *entry, struct net_policy_entry *e)
{
	const cJSON *address = cJSON_GetObjectItemCaseSensitive(entry,
	                                                        "address");
	const cJSON *port = cJSON_GetObjectItemCaseSensitive(entry, "port");
	size_t len;
	if (!cJSON_IsString(address) ||
	    (len = strlen(address->valuestring)) > NET_ADDRESS_MAX ||
	    !cJSON_IsNumber(port) || port->valuedouble < 1 ||
	    port->valuedouble > 65535 ||
	    port->valuedouble != (double)(int)port->valuedouble)
		return -1;
	memset(e, 0, sizeof *e);
	memcpy(e->address, address->valuestring, len + 1); /* bounded above */
	e->port = (unsigned)port->valueint;
	return 0;
}

static int decide(const cJSON *root, const char *label, const char *node,
                  struct net_policy_entry *e, const char **why)
{
	const cJSON *peers = cJSON_GetObjectItemCaseSensitive(root, "peers");
	const cJSON *peer;
	if (!cJSON_IsArray(peers)) {
		*why = "config/net.policy has no \"peers\" array";
		return -1;
	}
	*why = "config/net.policy names no such node";
	/* A node may be listed more than once, with other clients (init's
	 * ROM and RPC proxies reach a node's different ports): the first
	 * entry that lists the client decides. */
	cJSON_ArrayForEach (peer, peers) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(peer,
		                                                     "node");
		if (!cJSON_IsString(name) ||
		    strcmp(name->valuestring, node) != 0)
			continue;
		if (!client_allowed(cJSON_GetObjectItemCaseSensitive(peer,
		                                                     "clients"),
		                    label)) {
			*why = "config/net.policy does not list this client's label in the node's \"clients\"";
			continue;
		}
		if (take_entry(peer, e) != 0) {
			*why = NO_PEER_ADDRESS;
			return -1;
		}
		return 0;
	}
	return -1;
}

static int decide_listen(const cJSON *root, const char *label, unsigned port,
                         struct net_policy_entry *e, const char **why)
{
	const cJSON *listen = cJSON_GetObjectItemCaseSensitive(root, "listen");
	const cJSON *entry;
	cJSON_ArrayForEach (entry, listen) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(entry,
		                                                  "port");
		if (!cJSON_IsNumber(p) || p->valuedouble != (double)port)
			continue;
		if (!client_allowed(cJSON_GetObjectItemCaseSensitive(entry,
		                                                     "clients"),
		                    label)) {
			*why = "config/net.policy does not list this client's label in the port's \"clients\"";
			return -1;
		}
		if (take_entry(entry, e) != 0) {
			*why = NO_LISTEN_ADDRESS;
			return -1;
		}
		return 0;
	}
	*why = "config/net.policy has no \"listen\" entry for this port";
	return -1;
}

/* Parses the policy and runs one decision on it. */
static int with_policy(const char *json, size_t len, const char **why,
                       int (*decision)(const cJSON *root, const void *args,
                                       struct net_policy_entry *e,
                                       const char **why),
                       const void *args, struct net_policy_entry *entry)
{
	cJSON *root;
	int rc;
	if (len > NET_POLICY_MAX_BYTES) {
		*why = "config/net.policy is larger than 64 KiB";
		return -1;
	}
	root = cJSON_ParseWithLength(json, len);
	if (!root) {
		*why = "config/net.policy is no valid JSON";
		return -1;
	}
	rc = decision(root, args, entry, why);
	cJSON_Delete(root);
	return rc;
}

struct connect_args {
	const char *label, *node;
};
struct listen_args {
	const char *label;
	unsigned port;
};

static int connect_decision(const cJSON *root, const void *args,
                            struct net_policy_entry *e, const char **why)
{
	const struct connect_args *a = args;
	return decide(root, a->label, a->node, e, why);
}

static int listen_decision(const cJSON *root, const void *args,
                           struct net_policy_entry *e, const char **why)
{
	const struct listen_args *a = args;
	return decide_listen(root, a->label, a->port, e, why);
}

int net_policy_peer(const char *json, size_t len, const char *label,
                    const char *node, struct net_policy_entry *entry,
                    const char **why)
{
	const struct connect_args a = { label, node };
	if (!node_name_ok(node)) {
		*why = "the node's name is empty, longer than 63 bytes, or holds other than letters, digits, '-' and '_'";
		return -1;
	}
	return with_policy(json, len, why, connect_decision, &a, entry);
}

int net_policy_listen(const char *json, size_t len, const char *label,
                      unsigned port, struct net_policy_entry *entry,
                      const char **why)
{
	const struct listen_args a = { label, port };
	return with_policy(json, len, why, listen_decision, &a, entry);
}
