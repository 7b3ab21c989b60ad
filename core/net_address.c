/*
 * The policy's decision made into a socket address (net_address.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "net_address.h"
#include "net_policy.h"

static int make_address(const struct net_policy_entry *e, struct net_target *t)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&t->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&t->addr;
	memset(t, 0, sizeof *t);
	if (inet_pton(AF_INET, e->address, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)e->port);
		t->addr_len = sizeof *v4;
		return 0;
	}
	if (inet_pton(AF_INET6, e->address, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)e->port);
		t->addr_len = sizeof *v6;
		return 0;
	}
	return -1;
}

int net_address_decide(const char *json, size_t len, const char *label,
                       const char *node, struct net_target *target,
                       const char **why)
{
	struct net_policy_entry e;
	if (net_policy_peer(json, len, label, node, &e, why) != 0)
		return -1;
	if (make_address(&e, target) != 0) {
		*why = "config/net.policy gives the node no numeric \"address\" and \"port\" (1-65535)";
		return -1;
	}
	return 0;
}

int net_address_decide_listen(const char *json, size_t len, const char *label,
                              unsigned port, struct net_target *target,
                              const char **why)
{
	struct net_policy_entry e;
	if (net_policy_listen(json, len, label, port, &e, why) != 0)
		return -1;
	if (make_address(&e, target) != 0) {
		*why = "config/net.policy gives the port no numeric \"address\"";
		return -1;
	}
	return 0;
}
