/*
 * The network policy's decision (net_policy.h): parse with cJSON (linear
 * in the text), find the node, check the client, make the address. Every
 * field is checked by type and bound before it is used.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "net_policy.h"

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

static int make_address(const cJSON *peer, struct net_target *t)
{
	const cJSON *address = cJSON_GetObjectItemCaseSensitive(peer,
	                                                        "address");
	const cJSON *port = cJSON_GetObjectItemCaseSensitive(peer, "port");
	struct sockaddr_in *v4 = (struct sockaddr_in *)&t->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&t->addr;
	if (!cJSON_IsString(address) || !cJSON_IsNumber(port) ||
	    port->valuedouble < 1 || port->valuedouble > 65535 ||
	    port->valuedouble != (double)(int)port->valuedouble)
		return -1;
	memset(t, 0, sizeof *t);
	if (inet_pton(AF_INET, address->valuestring, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port->valueint);
		t->addr_len = sizeof *v4;
		return 0;
	}
	if (inet_pton(AF_INET6, address->valuestring, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port->valueint);
		t->addr_len = sizeof *v6;
		return 0;
	}
	return -1;
}

static int decide(const cJSON *root, const char *label, const char *node,
                  struct net_target *target, const char **why)
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
		if (make_address(peer, target) != 0) {
			*why = "config/net.policy gives the node no numeric \"address\" and \"port\" (1-65535)";
			return -1;
		}
		return 0;
	}
	return -1;
}

static int decide_listen(const cJSON *root, const char *label, unsigned port,
                         struct net_target *target, const char **why)
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
		if (make_address(entry, target) != 0) {
			*why = "config/net.policy gives the port no numeric \"address\"";
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
                                       struct net_target *t, const char **why),
                       const void *args, struct net_target *target)
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
	rc = decision(root, args, target, why);
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
                            struct net_target *t, const char **why)
{
	const struct connect_args *a = args;
	return decide(root, a->label, a->node, t, why);
}

static int listen_decision(const cJSON *root, const void *args,
                           struct net_target *t, const char **why)
{
	const struct listen_args *a = args;
	return decide_listen(root, a->label, a->port, t, why);
}

int net_policy_decide(const char *json, size_t len, const char *label,
                      const char *node, struct net_target *target,
                      const char **why)
{
	const struct connect_args a = { label, node };
	return with_policy(json, len, why, connect_decision, &a, target);
}

int net_policy_decide_listen(const char *json, size_t len, const char *label,
                             unsigned port, struct net_target *target,
                             const char **why)
{
	const struct listen_args a = { label, port };
	return with_policy(json, len, why, listen_decision, &a, target);
}
