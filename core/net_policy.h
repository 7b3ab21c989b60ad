/*
 * Core's network policy (pure, unit-tested, built for both platforms):
 * which peers a Net session may connect to and on which ports it may
 * accept. The policy is the JSON file config/net.policy of the target
 * (on riscv the config module or push `config/net.policy`), read anew at
 * every connect (so a changed file counts at once):
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
 * merely starts with the same letters. A node is named by 1..NET_NODE_MAX
 * letters, digits, '-', '_' (riscv names a net port after it).
 * Without the file nothing is allowed.
 *
 * The decision is this file's, one piece for both platforms; what the
 * entry's "address" and "port" mean is the platform's: linux connects
 * there (net_address.h: numeric IPv4 or IPv6, no name resolution), riscv
 * takes the entry's port to name the net port `net.NODE.PORT`, and the
 * host's wiring of that port says where the bytes go
 * (core/riscv/net_service.h).
 */
#ifndef CORE_NET_POLICY_H
#define CORE_NET_POLICY_H

#include <stddef.h>

#define NET_POLICY_MAX_BYTES 65536u
#define NET_NODE_MAX 63u
#define NET_ADDRESS_MAX 63u

/* The policy's entry that allowed a connection or a listening port. */
struct net_policy_entry {
	char address[NET_ADDRESS_MAX + 1];
	unsigned port; /* 1..65535 */
};

/* Decides whether `label` may connect to `node` under the policy text
 * json[len]: 0 and *entry, or -1 and *why (a static sentence naming what
 * to change). A malformed policy allows nothing. */
int net_policy_peer(const char *json, size_t len, const char *label,
                    const char *node, struct net_policy_entry *entry,
                    const char **why);

/* Decides whether `label` may listen on `port`: 0 and *entry, or -1 and
 * *why. */
int net_policy_listen(const char *json, size_t len, const char *label,
                      unsigned port, struct net_policy_entry *entry,
                      const char **why);

#endif
