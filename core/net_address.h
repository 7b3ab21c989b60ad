/*
 * Where a Net session's bytes go on linux: the address and port of the
 * policy's entry (net_policy.h) as a socket address. Numeric IPv4 or
 * IPv6 only (no name resolution: what a policy allows is what it says).
 */
#ifndef CORE_NET_ADDRESS_H
#define CORE_NET_ADDRESS_H

#include <stddef.h>
#include <sys/socket.h>

struct net_target {
	struct sockaddr_storage addr;
	socklen_t addr_len;
};

/* net_policy_peer() and the entry's address in *target: 0, or -1 and
 * *why (a static sentence naming what to change). */
int net_address_decide(const char *json, size_t len, const char *label,
                       const char *node, struct net_target *target,
                       const char **why);

/* net_policy_listen() and the local address to bind in *target. */
int net_address_decide_listen(const char *json, size_t len, const char *label,
                              unsigned port, struct net_target *target,
                              const char **why);

#endif
