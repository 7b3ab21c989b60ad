/*
 * Sessions across nodes in the runtime configuration (runtime/format/
 * README.md, "Routes to other nodes"): this node's identity ("node"), its
 * peers with their pinned keys ("nodes"), what it serves to which peer
 * ("exports"), and route rules whose "to" names a node. The parser reads
 * them into the model of format/runtime_config.h; this header says what
 * init makes of them.
 *
 * runtime_config_expand_remote() is pure: it turns a parsed configuration
 * into the one init runs, with the proxies as ordinary children.
 *
 * ROM: per peer node that some rule routes ROM to, a client proxy
 * "remote-rom-from-<node>" (binary remote_rom_client) that serves every
 * ROM imported from that node; per peer that "exports" ROM to, a server
 * proxy "remote-rom-to-<node>" (binary remote_rom_server) that serves that
 * peer every ROM exported to it, on the node's "port".
 *
 * Any other service (RPC, pkg/remote/README.md "RPC across"): per node and
 * service routed, a client proxy "remote-rpc-from-<node>-<service>"
 * (binary remote_rpc_client, the service's name in lowercase) that
 * serves the service here; per export, a server proxy
 * "remote-rpc-to-<node>-<service>" (binary remote_rpc_server) that opens
 * the peer's sessions here, routed as the export says, and listens on the
 * export's "port". The client proxy finds the interface in its table by
 * the service's name (pkg/remote/rpc/iface_table.h); this library does
 * not know the table, so a service without an interface is refused by
 * the proxy at its start (its log says so, the report shows it down).
 *
 * A target booted from the depot has no boot modules: its "node" names
 * the pkg that holds the proxies ("pkg": its base pkg, recipes/pkg/base),
 * and each proxy is a child of that pkg with its own "binary" (a pkg
 * entry's binary names which program of the pkg's archives runs).
 *
 * Each proxy gets a generated config (keys, pin, modules or service,
 * port), routes for its key and certificate, Net, what it exports and the
 * rest to the parent, and a `version` made from its config, so that a
 * changed proxy config restarts it (the proxies read their config once).
 * Rules naming a node become rules to the client proxy child; for ROM with
 * `to_label` set to the remote module's name (the label the proxy sees),
 * for RPC with the session's own label. So init applies, compares and
 * reports the expanded configuration like any other, and sculpt predicts
 * it with the same call.
 */
#ifndef FORMAT_REMOTE_H
#define FORMAT_REMOTE_H

#include "format/runtime_config.h"

/* Child names starting so are the proxies' (refused for the user's). */
#define REMOTE_PROXY_RESERVED_ROM "remote-rom-"
#define REMOTE_PROXY_RESERVED_RPC "remote-rpc-"
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

#define REMOTE_RPC_CLIENT_PREFIX "remote-rpc-from-"
#define REMOTE_RPC_SERVER_PREFIX "remote-rpc-to-"
#define REMOTE_RPC_CLIENT_BINARY "remote_rpc_client"
#define REMOTE_RPC_SERVER_BINARY "remote_rpc_server"
/* An RPC proxy holds TLS, the link's buffers, copies of dataspaces that
 * cross (at most 16 MiB per link, pkg/remote/README.md) only as far as
 * they are used, and, on the server side, the quota of the sessions it
 * opens for the peer: 16 MiB as scenarios 70-72 run them. */
#define REMOTE_RPC_PROXY_RAM (UINT64_C(16) << 20)
#define REMOTE_RPC_PROXY_CAPS 300
/* Proxies of one config in all: the state report lists each
 * (STATE_REPORT_REMOTE_MAX). */
#define REMOTE_PROXIES_MAX 64

/* Whether `service` crosses through the ROM proxies (else the RPC ones). */
bool runtime_service_is_rom(const char *service);

/* What runtime_child_is_remote_proxy finds. */
struct runtime_remote_proxy {
	char node[RUNTIME_NODE_NAME_MAX + 1]; /* the peer */
	char service[RUNTIME_NAME_MAX + 1];   /* "ROM", or the RPC service */
	bool client;                          /* imports (else exports) */
};

/* The node called `name` in "nodes", or NULL. */
const struct runtime_node *runtime_config_find_node(
	const struct runtime_config *config, const char *name);

/*
 * The configuration init runs: a copy of `config` with the proxies added
 * and every rule to a node made a rule to its proxy (above). *out is a
 * new model for runtime_config_free (a plain copy when nothing is
 * remote). RUNTIME_CONFIG_INVALID when a start entry takes a proxy's name,
 * a proxy would carry more than REMOTE_PROXY_MODULES_MAX modules, there
 * would be more than REMOTE_PROXIES_MAX proxies, or a proxy's name would
 * be longer than RUNTIME_NAME_MAX; RUNTIME_CONFIG_NO_MEMORY.
 */
enum runtime_config_status runtime_config_expand_remote(
	const struct runtime_config *config, struct runtime_config **out,
	struct runtime_config_error *error);

/* Whether `child` is a proxy made by the expansion (its name, binary and,
 * for an RPC proxy, its generated config say so); *out says which. */
bool runtime_child_is_remote_proxy(const struct runtime_child *child,
                                   struct runtime_remote_proxy *out);

#endif
