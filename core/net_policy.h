/*
 * Core's network policy (pure, unit-tested): which peers a Net session
 * may connect to. The policy is the JSON file config/net.policy of the
 * target, read anew at every connect (so a changed file counts at once):
 *
 *   {"peers":  [{"node": "b", "address": "10.0.0.2", "port": 7400,
 *                "clients": ["init -> remote_rom_client"]}],
 *    "listen": [{"address": "10.0.0.1", "port": 7400,
 *                "clients": ["init -> remote_rom_server"]}]}
 *
 * "peers" say where a client may connect, "listen" on which local address
 * and port a client may accept connections (who connects is checked by
 * the link's TLS pins, not here).
 *
 * A client is a session label: it matches that label exactly and every
 * label below it ("init -> remote_rom_client -> x"), never a label that
 * merely starts with the same letters. Addresses are numeric IPv4 or IPv6
 * (no name resolution: what a policy allows is what it says). Without the
 * file nothing is allowed.
 */
#ifndef CORE_NET_POLICY_H
#define CORE_NET_POLICY_H

#include <stddef.h>
#include <sys/socket.h>

#define NET_POLICY_MAX_BYTES 65536u
#define NET_NODE_MAX 63u

struct net_target {
	struct sockaddr_storage addr;
	socklen_t addr_len;
};

/*
 * Decides whether `label` may connect to `node` under the policy text
 * json[len]: 0 and *target, or -1 and *why (a static sentence naming what
 * to change). A malformed policy allows nothing.
 */
int net_policy_decide(const char *json, size_t len, const char *label,
                      const char *node, struct net_target *target,
                      const char **why);

/* Decides whether `label` may listen on `port`: 0 and the local address
 * to bind in *target, or -1 and *why. */
int net_policy_decide_listen(const char *json, size_t len, const char *label,
                             unsigned port, struct net_target *target,
                             const char **why);

#endif
