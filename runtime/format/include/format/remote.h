/*
 * Sessions across nodes in the runtime configuration (runtime/format/
 * README.md, "Routes to other nodes"): this node's identity ("node"), its
 * peers with their pinned keys ("nodes"), what it serves to which peer
 * ("exports"), and route rules whose "to" names a node. The parser reads
 * them into the model of format/runtime_config.h; this header says what
 * init makes of them.
 *
 * runtime_config_expand_remote() is pure: it turns a parsed configuration
 * into the one init runs, with the proxies as ordinary children. Per peer
 * node that some rule routes to, a client proxy "remote-rom-from-<node>"
 * (binary remote_rom_client) that serves every ROM imported from that
 * node; per peer that "exports" names, a server proxy
 * "remote-rom-to-<node>" (binary remote_rom_server) that serves that peer
 * every ROM exported to it. Each proxy gets a generated config (keys,
 * pin, modules, port), routes for its key and certificate, Net, the
 * exported ROMs and the rest to the parent, and a `version` made from its
 * config, so that a changed proxy config restarts it (the proxies read
 * their config once). Rules naming a node become rules to the proxy
 * child, with `to_label` set to the remote module's name: the label the
 * proxy sees. So init applies, compares and reports the expanded
 * configuration like any other, and sculpt predicts it with the same call.
 */
#ifndef FORMAT_REMOTE_H
#define FORMAT_REMOTE_H

#include "format/runtime_config.h"

#define REMOTE_PROXY_CLIENT_PREFIX "remote-rom-from-"
#define REMOTE_PROXY_SERVER_PREFIX "remote-rom-to-"
#define REMOTE_PROXY_CLIENT_BINARY "remote_rom_client"
#define REMOTE_PROXY_SERVER_BINARY "remote_rom_server"
/* What a proxy costs init: a client holds up to 1 MiB per module twice
 * (the version being assembled and the one served) beside TLS and the
 * link's buffers, so 14 MiB and 2 MiB
 * per module; a server maps its modules. */
#define REMOTE_PROXY_RAM_BASE (UINT64_C(14) << 20)
#define REMOTE_PROXY_RAM_PER_MODULE (UINT64_C(2) << 20)
#define REMOTE_PROXY_CAPS 200
/* The link's channels (pkg/remote/README.md): the client asks for module
 * i on channel i + 1, so a proxy carries at most 31 modules. */
#define REMOTE_PROXY_MODULES_MAX 31

/* The node called `name` in "nodes", or NULL. */
const struct runtime_node *runtime_config_find_node(const struct runtime_config *config,
                                                    const char *name);

/* Whether the configuration names other nodes at all (routes or exports). */
bool runtime_config_is_remote(const struct runtime_config *config);

/*
 * The configuration init runs: a copy of `config` with the proxies added
 * and every rule to a node made a rule to its proxy (above). *out is a
 * new model for runtime_config_free (a plain copy when nothing is
 * remote). RUNTIME_CONFIG_INVALID when a start entry takes a proxy's name
 * or a proxy would carry more than REMOTE_PROXY_MODULES_MAX modules;
 * RUNTIME_CONFIG_NO_MEMORY.
 */
enum runtime_config_status runtime_config_expand_remote(const struct runtime_config *config,
                                                        struct runtime_config **out,
                                                        struct runtime_config_error *error);

/* Whether `child` is a proxy made by the expansion; *node is its peer. */
bool runtime_child_is_remote_proxy(const struct runtime_child *child, const char **node,
                                   bool *client);

#endif
