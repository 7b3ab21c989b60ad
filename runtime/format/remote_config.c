/*
 * The remote parts of the runtime configuration (format/remote.h): a route
 * rule's "to" that names another node, the top-level "node" (this node's
 * name and key ROMs), "nodes" (the peers, pinned by key) and "exports"
 * (what this node serves to which peer). Part of libformat's parser: this
 * file reads each on its own and, once the whole document is read, checks
 * that they fit together (a routed or exporting node is listed, exports
 * name a port, Net and ROM come from the parent). Lists are short
 * (RUNTIME_NODES_MAX), so the duplicate checks scan.
 */
#include "parse_context.h"
#include "format/remote.h"

#include <stdlib.h>
#include <string.h>

#define FINGERPRINT_PREFIX "sha256:"

static bool read_node_name(struct parse_context *ctx, const cJSON *value,
                           const char *field, char **out)
{
	return parse_string(ctx, value, field, RUNTIME_NODE_NAME_MAX,
	                    CHARSET_CHILD_NAME, false, out);
}

static bool read_rom_name(struct parse_context *ctx, const cJSON *value,
                          const char *field, char **out)
{
	return parse_string(ctx, value, field, RUNTIME_ROM_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false, out);
}

/* ROM crosses through the ROM proxies; every other service through the
 * generic RPC proxies, which find its interface in their table (format/
 * remote.h). The services a proxy itself needs at its parent never cross:
 * routing them away would leave the proxies without them. */
static bool check_remote_service(struct parse_context *ctx, const char *service)
{
	static const char *const local[] = { "Net", "LOG", "PD",
		                             "CPU", "RM",  "Report" };

	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (!strcmp(service, local[i]))
			return parse_fail(
				ctx,
				"service \"%s\" does not cross to another node "
				"(the proxies need it on their own node)",
				service);
	return true;
}

/* --- a rule's "to": {"node", "service", "label"} ------------------------- */

static bool read_target_node(struct parse_context *ctx, const cJSON *value,
                             void *target)
{
	return read_node_name(ctx, value, "node",
	                      &((struct runtime_route_rule *)target)->node);
}

static bool read_target_service(struct parse_context *ctx, const cJSON *value,
                                void *target)
{
	struct runtime_route_rule *rule = target;

	return parse_string(ctx, value, "service", RUNTIME_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false, &rule->node_service) &&
	       check_remote_service(ctx, rule->node_service);
}

static bool read_target_label(struct parse_context *ctx, const cJSON *value,
                              void *target)
{
	return read_rom_name(ctx, value, "label",
	                     &((struct runtime_route_rule *)target)->to_label);
}

static const struct parse_field target_fields[] = {
	{ "node", read_target_node },
	{ "service", read_target_service },
	{ "label", read_target_label },
};

bool parse_remote_target(struct parse_context *ctx, const cJSON *value,
                         struct runtime_route_rule *rule)
{
	size_t previous = parse_enter(ctx, "to");

	rule->to = RUNTIME_TO_NODE;
	if (!parse_object_fields(ctx, value, target_fields,
	                         sizeof(target_fields) /
	                                 sizeof(target_fields[0]),
	                         rule))
		return false;
	if (!rule->node || !rule->node_service)
		return parse_fail(
			ctx, "a node target needs \"node\" and \"service\"");
	if (runtime_service_is_rom(rule->node_service) && !rule->to_label)
		return parse_fail(
			ctx,
			"a ROM target on a node needs \"label\" (the module's "
			"name on that node)");
	if (!runtime_service_is_rom(rule->node_service) && rule->to_label)
		return parse_fail(
			ctx,
			"\"label\" is for ROM targets only: a session of \"%s\" "
			"crosses with its own label",
			rule->node_service);
	parse_leave(ctx, previous);
	return true;
}

/* --- "node": this node --------------------------------------------------- */

static bool read_self_name(struct parse_context *ctx, const cJSON *value,
                           void *target)
{
	return read_node_name(ctx, value, "name",
	                      &((struct runtime_config *)target)->node_name);
}

static bool read_self_key(struct parse_context *ctx, const cJSON *value,
                          void *target)
{
	return read_rom_name(ctx, value, "key",
	                     &((struct runtime_config *)target)->node_key);
}

static bool read_self_cert(struct parse_context *ctx, const cJSON *value,
                           void *target)
{
	return read_rom_name(ctx, value, "cert",
	                     &((struct runtime_config *)target)->node_cert);
}

static bool read_self_pkg(struct parse_context *ctx, const cJSON *value,
                          void *target)
{
	return parse_pkg_path(ctx, value,
	                      &((struct runtime_config *)target)->node_pkg);
}

static const struct parse_field self_fields[] = {
	{ "name", read_self_name },
	{ "key", read_self_key },
	{ "cert", read_self_cert },
	{ "pkg", read_self_pkg },
};

bool parse_node_self(struct parse_context *ctx, const cJSON *value,
                     struct runtime_config *config)
{
	size_t previous = parse_enter(ctx, "node");

	if (!cJSON_IsObject(value))
		return parse_fail(
			ctx,
			"must be an object like {\"name\": \"a\", \"key\": "
			"\"a.key\", \"cert\": \"a.crt\"}");
	if (!parse_object_fields(ctx, value, self_fields,
	                         sizeof(self_fields) / sizeof(self_fields[0]),
	                         config))
		return false;
	if (!config->node_name || !config->node_key || !config->node_cert)
		return parse_fail(
			ctx,
			"needs \"name\", \"key\" and \"cert\" (this node's name "
			"and the ROMs of its key and certificate)");
	parse_leave(ctx, previous);
	return true;
}

/* --- "nodes": the peers -------------------------------------------------- */

static bool fingerprint_is_valid(const char *text)
{
	size_t prefix = strlen(FINGERPRINT_PREFIX);

	if (strlen(text) != RUNTIME_FINGERPRINT_LEN ||
	    strncmp(text, FINGERPRINT_PREFIX, prefix) != 0)
		return false;
	for (const char *c = text + prefix; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	return true;
}

static bool read_peer_name(struct parse_context *ctx, const cJSON *value,
                           void *target)
{
	return read_node_name(ctx, value, "name",
	                      &((struct runtime_node *)target)->name);
}

static bool read_peer_fingerprint(struct parse_context *ctx, const cJSON *value,
                                  void *target)
{
	struct runtime_node *node = target;

	if (!parse_string(ctx, value, "fingerprint", RUNTIME_FINGERPRINT_LEN,
	                  CHARSET_PRINTABLE, false, &node->fingerprint))
		return false;
	if (!fingerprint_is_valid(node->fingerprint))
		return parse_fail(
			ctx,
			"\"fingerprint\" must be \"sha256:\" and 64 lowercase hex "
			"digits (what remote-key prints)");
	return true;
}

static bool read_peer_port(struct parse_context *ctx, const cJSON *value,
                           void *target)
{
	uint64_t port = 0;

	if (!parse_uint(ctx, value, "port", 65535, &port))
		return false;
	if (port == 0)
		return parse_fail(ctx, "\"port\" must be 1 to 65535");
	((struct runtime_node *)target)->port = (uint32_t)port;
	return true;
}

static bool read_peer_keepalive(struct parse_context *ctx, const cJSON *value,
                                void *target)
{
	uint64_t ms = 0;

	if (!parse_uint(ctx, value, "keepalive_ms", RUNTIME_KEEPALIVE_MAX_MS,
	                &ms))
		return false;
	if (ms < RUNTIME_KEEPALIVE_MIN_MS)
		return parse_fail(ctx, "\"keepalive_ms\" must be %u to %u",
		                  RUNTIME_KEEPALIVE_MIN_MS,
		                  RUNTIME_KEEPALIVE_MAX_MS);
	((struct runtime_node *)target)->keepalive_ms = (uint32_t)ms;
	return true;
}

static const struct parse_field peer_fields[] = {
	{ "name", read_peer_name },
	{ "fingerprint", read_peer_fingerprint },
	{ "port", read_peer_port },
	{ "keepalive_ms", read_peer_keepalive },
};

static bool parse_peer(struct parse_context *ctx, const cJSON *value,
                       void *entries, size_t index)
{
	struct runtime_node *nodes = entries;
	struct runtime_node *node = &nodes[index];

	if (!cJSON_IsObject(value))
		return parse_fail(
			ctx, "a node must be an object like {\"name\": \"b\", "
			     "\"fingerprint\": \"sha256:...\"}");
	if (!parse_object_fields(ctx, value, peer_fields,
	                         sizeof(peer_fields) / sizeof(peer_fields[0]),
	                         node))
		return false;
	if (!node->name || !node->fingerprint)
		return parse_fail(ctx, "needs \"name\" and \"fingerprint\"");
	for (size_t i = 0; i < index; i++) {
		if (!strcmp(nodes[i].name, node->name))
			return parse_fail(
				ctx, "node \"%s\" is listed twice (nodes[%zu])",
				node->name, i);
		if (!strcmp(nodes[i].fingerprint, node->fingerprint))
			return parse_fail(
				ctx,
				"node \"%s\" has the key of node \"%s\" (one key, "
				"one node)",
				node->name, nodes[i].name);
	}
	return true;
}

bool parse_nodes(struct parse_context *ctx, const cJSON *value,
                 struct runtime_config *config)
{
	static const struct parse_list_kind peers = {
		.list_of = "nodes",
		.noun = "nodes",
		.max_count = RUNTIME_NODES_MAX,
		.entry_size = sizeof(struct runtime_node),
		.enter = true,
	};
	void *entries = NULL;
	bool ok = parse_list(ctx, value, "nodes", &peers, parse_peer, &entries,
	                     &config->node_count);

	config->nodes = entries; /* freed with the config, also when not ok */
	return ok;
}

/* --- "exports": what this node serves to its peers ----------------------- */

static bool read_export_node(struct parse_context *ctx, const cJSON *value,
                             void *target)
{
	return read_node_name(ctx, value, "node",
	                      &((struct runtime_export *)target)->node);
}

static bool read_export_service(struct parse_context *ctx, const cJSON *value,
                                void *target)
{
	struct runtime_export *export = target;

	return parse_string(ctx, value, "service", RUNTIME_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false, &export->service) &&
	       check_remote_service(ctx, export->service);
}

static bool read_export_label(struct parse_context *ctx, const cJSON *value,
                              void *target)
{
	return read_rom_name(ctx, value, "label",
	                     &((struct runtime_export *)target)->label);
}

static bool read_export_from(struct parse_context *ctx, const cJSON *value,
                             void *target)
{
	struct runtime_export *export = target;

	if (cJSON_IsString(value) && !strcmp(value->valuestring, "parent")) {
		export->from = RUNTIME_TO_PARENT;
		return true;
	}
	export->from = RUNTIME_TO_CHILD;
	return parse_string(ctx, value, "from", RUNTIME_NAME_MAX,
	                    CHARSET_CHILD_NAME, false, &export->from_child);
}

static bool read_export_port(struct parse_context *ctx, const cJSON *value,
                             void *target)
{
	uint64_t port = 0;

	if (!parse_uint(ctx, value, "port", 65535, &port))
		return false;
	if (port == 0)
		return parse_fail(ctx, "\"port\" must be 1 to 65535");
	((struct runtime_export *)target)->port = (uint32_t)port;
	return true;
}

static const struct parse_field export_fields[] = {
	{ "node", read_export_node },   { "service", read_export_service },
	{ "label", read_export_label }, { "from", read_export_from },
	{ "port", read_export_port },
};

/* A ROM export names a module and listens on the node's port; an RPC
 * export names no module (the sessions carry their labels) and has a
 * port of its own (one proxy, one link, one port). */
static bool check_export_fields(struct parse_context *ctx,
                                const struct runtime_export *export)
{
	if (!export->node || !export->service)
		return parse_fail(ctx, "needs \"node\" and \"service\"");
	if (runtime_service_is_rom(export->service)) {
		if (!export->label)
			return parse_fail(
				ctx,
				"a ROM export needs \"label\" (the module's name)");
		if (export->port)
			return parse_fail(
				ctx,
				"a ROM export takes no \"port\" (ROMs go over the "
				"port of the node's entry in \"nodes\")");
		return true;
	}
	if (export->label)
		return parse_fail(
			ctx,
			"\"label\" is for ROM exports only: a session of \"%s\" "
			"crosses with its own label",
			export->service);
	if (!export->port)
		return parse_fail(
			ctx,
			"an export of \"%s\" needs a \"port\" of its own to "
			"listen on",
			export->service);
	return true;
}

/* Two exports of one module or one service to one node, or two exports
 * listening on one port. */
static bool check_export_clash(struct parse_context *ctx,
                               const struct runtime_export *export,
                               const struct runtime_export *other, size_t i)
{
	bool same_node = !strcmp(other->node, export->node);

	if (same_node && export->label && other->label &&
	    !strcmp(other->label, export->label))
		return parse_fail(ctx,
		                  "\"%s\" is exported to node \"%s\" twice "
		                  "(exports[%zu])",
		                  export->label, export->node, i);
	if (same_node && !export->label &&
	    !strcmp(other->service, export->service))
		return parse_fail(ctx,
		                  "\"%s\" is exported to node \"%s\" twice "
		                  "(exports[%zu])",
		                  export->service, export->node, i);
	if (export->port && other->port == export->port)
		return parse_fail(
			ctx,
			"port %u is taken by exports[%zu] (one port per "
			"exported service and node)",
			(unsigned)export->port, i);
	return true;
}

static bool parse_export(struct parse_context *ctx, const cJSON *value,
                         void *entries, size_t index)
{
	struct runtime_export *exports = entries;
	struct runtime_export *export = &exports[index];

	if (!cJSON_IsObject(value))
		return parse_fail(
			ctx,
			"an export must be an object like {\"node\": \"b\", "
			"\"service\": \"ROM\", \"label\": \"shared\"} or {\"node\": "
			"\"b\", \"service\": \"Counter\", \"port\": 7500}");
	export->from = RUNTIME_TO_PARENT;
	if (!parse_object_fields(ctx, value, export_fields,
	                         sizeof(export_fields) /
	                                 sizeof(export_fields[0]),
	                         export))
		return false;
	if (!check_export_fields(ctx, export))
		return false;
	for (size_t i = 0; i < index; i++)
		if (!check_export_clash(ctx, export, &exports[i], i))
			return false;
	return true;
}

bool parse_exports(struct parse_context *ctx, const cJSON *value,
                   struct runtime_config *config)
{
	static const struct parse_list_kind exports = {
		.list_of = "exports",
		.noun = "entries",
		.max_count = RUNTIME_EXPORTS_MAX,
		.entry_size = sizeof(struct runtime_export),
		.enter = true,
	};
	void *entries = NULL;
	bool ok = parse_list(ctx, value, "exports", &exports, parse_export,
	                     &entries, &config->export_count);

	config->exports = entries; /* freed with the config, also when not ok */
	return ok;
}

/* --- whole-document checks ----------------------------------------------- */

const struct runtime_node *runtime_config_find_node(
	const struct runtime_config *config, const char *name)
{
	for (size_t i = 0; i < config->node_count; i++)
		if (!strcmp(config->nodes[i].name, name))
			return &config->nodes[i];
	return NULL;
}

static bool check_peer_named(struct parse_context *ctx,
                             const struct runtime_config *config,
                             const char *node)
{
	if (!config->node_name)
		return parse_fail(
			ctx,
			"names node \"%s\", but the config has no \"node\" (this "
			"node's name, key and cert)",
			node);
	if (!strcmp(node, config->node_name))
		return parse_fail(ctx, "names node \"%s\", which is this node",
		                  node);
	if (!runtime_config_find_node(config, node))
		return parse_fail(
			ctx, "names node \"%s\", which \"nodes\" does not list",
			node);
	return true;
}

bool check_remote_rule(struct parse_context *ctx,
                       const struct runtime_config *config,
                       const struct runtime_route_rule *rule)
{
	if (strcmp(rule->service, rule->node_service) != 0)
		return parse_fail(
			ctx,
			"routes \"%s\" to service \"%s\" of node \"%s\": a route "
			"to a node names the same service on both sides",
			rule->service, rule->node_service, rule->node);
	return check_peer_named(ctx, config, rule->node);
}

/* The services every proxy asks its parent for. */
static bool check_proxy_services(struct parse_context *ctx,
                                 const struct runtime_config *config)
{
	static const char *const needed[] = { "ROM", "Net", "LOG",
		                              "PD",  "CPU", "RM" };

	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!runtime_name_list_has(&config->parent_provides, needed[i]))
			return parse_fail(
				ctx,
				"sessions with other nodes need \"%s\" in "
				"\"parent_provides\" (for init's proxies)",
				needed[i]);
	return true;
}

static bool check_export(struct parse_context *ctx,
                         const struct runtime_config *config,
                         const struct runtime_export *export)
{
	if (!check_peer_named(ctx, config, export->node))
		return false;
	const struct runtime_node *node =
		runtime_config_find_node(config, export->node);
	if (export->label && !node->port)
		return parse_fail(
			ctx,
			"exports ROM to node \"%s\", whose entry in \"nodes\" gives "
			"no \"port\" to listen on",
			export->node);
	for (size_t i = 0; export->port && i < config->node_count; i++)
		if (config->nodes[i].port == export->port)
			return parse_fail(ctx,
			                  "port %u is node \"%s\"'s ROM port",
			                  (unsigned)export->port,
			                  config->nodes[i].name);
	if (export->from == RUNTIME_TO_PARENT && !export->label &&
	    !runtime_name_list_has(&config->parent_provides, export->service))
		return parse_fail(
			ctx,
			"exports \"%s\" from the parent, which \"parent_provides\" "
			"does not list",
			export->service);
	if (export->from != RUNTIME_TO_CHILD)
		return true;
	const struct runtime_child *child =
		runtime_config_find_child(config, export->from_child);
	if (!child)
		return parse_fail(ctx, "unknown child \"%s\" in \"from\"",
		                  export->from_child);
	if (child->provides_given &&
	    !runtime_name_list_has(&child->provides, export->service))
		return parse_fail(ctx, "child \"%s\" does not provide \"%s\"",
		                  export->from_child, export->service);
	return true;
}

static bool list_is_remote(const struct runtime_route_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->rules[i].to == RUNTIME_TO_NODE)
			return true;
	return false;
}

/* Whether the configuration names other nodes at all (routes or exports). */
static bool runtime_config_is_remote(const struct runtime_config *config)
{
	if (config->export_count || list_is_remote(&config->default_route))
		return true;
	for (size_t i = 0; i < config->start_count; i++)
		if (list_is_remote(&config->start[i].route))
			return true;
	return false;
}

bool check_remote_config(struct parse_context *ctx,
                         const struct runtime_config *config)
{
	if (config->node_count && !config->node_name)
		return parse_fail(
			ctx,
			"\"nodes\" needs \"node\" (this node's name, key and cert)");
	if (!runtime_config_is_remote(config))
		return true;
	if (!check_proxy_services(ctx, config))
		return false;
	for (size_t i = 0; i < config->export_count; i++) {
		size_t previous = parse_enter(ctx, "exports[%zu]", i);
		if (!check_export(ctx, config, &config->exports[i]))
			return false;
		parse_leave(ctx, previous);
	}
	return true;
}

bool runtime_service_is_rom(const char *service)
{
	return !strcmp(service, "ROM");
}

void runtime_remote_clear(struct runtime_config *config)
{
	free(config->node_name);
	free(config->node_key);
	free(config->node_cert);
	free(config->node_pkg);
	for (size_t i = 0; i < config->node_count; i++) {
		free(config->nodes[i].name);
		free(config->nodes[i].fingerprint);
	}
	free(config->nodes);
	for (size_t i = 0; i < config->export_count; i++) {
		free(config->exports[i].node);
		free(config->exports[i].service);
		free(config->exports[i].label);
		free(config->exports[i].from_child);
	}
	free(config->exports);
}
