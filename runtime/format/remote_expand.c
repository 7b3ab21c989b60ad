/*
 * runtime_config_expand_remote (format/remote.h): the configuration init
 * runs, with the remote ROM and RPC proxies as ordinary children. Pure and
 * part of libformat, so sculpt predicts the proxies with the same call as
 * init.
 *
 * The copy is made by writing the canonical text and parsing it again:
 * one code path that already keeps every invariant, at the cost of one
 * parse per applied config. The proxies are then appended and every rule
 * to a node is pointed at its proxy.
 */
#include "parse_context.h"
#include "format/remote.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The modules one ROM proxy carries, in the order of the config. */
struct proxy_plan {
	const struct runtime_node *node;
	const char *modules[REMOTE_PROXY_MODULES_MAX];
	size_t count;
};

/* One RPC proxy: a service of a node; a server's export says from where
 * and on which port. */
struct rpc_plan {
	const struct runtime_node *node;
	const char *service;
	const struct runtime_export *export; /* server only */
};

struct expansion {
	struct runtime_config *config; /* the copy being expanded */
	struct proxy_plan clients[RUNTIME_NODES_MAX];
	struct proxy_plan servers[RUNTIME_NODES_MAX];
	struct rpc_plan rpc[REMOTE_PROXIES_MAX];
	size_t rpc_clients, rpc_count; /* clients first, then servers */
	struct parse_context *ctx;
};

static bool add_module(struct parse_context *ctx, struct proxy_plan *plan,
                       const char *module, const char *role)
{
	for (size_t i = 0; i < plan->count; i++)
		if (!strcmp(plan->modules[i], module))
			return true;
	if (plan->count == REMOTE_PROXY_MODULES_MAX)
		return parse_fail(
			ctx,
			"more than %d ROMs %s node \"%s\" (one link carries at "
			"most that many)",
			REMOTE_PROXY_MODULES_MAX, role, plan->node->name);
	plan->modules[plan->count++] = module;
	return true;
}

static struct proxy_plan *plan_of(struct expansion *x, struct proxy_plan *plans,
                                  const char *node)
{
	const struct runtime_node *n = runtime_config_find_node(x->config,
	                                                        node);

	/* the parser checked that every routed or exporting node is listed */
	assert(n != NULL);
	size_t i = (size_t)(n - x->config->nodes);
	plans[i].node = n;
	return &plans[i];
}

/* Adds the RPC proxy of `service` at `node` unless a client proxy has it
 * already (exports are unique, the parser checked). A scan: at most
 * REMOTE_PROXIES_MAX plans. */
static bool add_rpc(struct expansion *x, const char *node, const char *service,
                    const struct runtime_export *export)
{
	for (size_t i = 0; !export && i < x->rpc_count; i++)
		if (!strcmp(x->rpc[i].node->name, node) &&
		    !strcmp(x->rpc[i].service, service))
			return true;
	if (x->rpc_count == REMOTE_PROXIES_MAX)
		return parse_fail(
			x->ctx,
			"more than %d remote services (init reports at most "
			"that many proxies)",
			REMOTE_PROXIES_MAX);
	struct rpc_plan *plan = &x->rpc[x->rpc_count++];
	plan->node = runtime_config_find_node(x->config, node);
	assert(plan->node !=
	       NULL); /* the parser checked every node is listed */
	plan->service = service;
	plan->export = export;
	return true;
}

static bool plan_routes(struct expansion *x,
                        const struct runtime_route_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct runtime_route_rule *rule = &list->rules[i];
		if (rule->to != RUNTIME_TO_NODE)
			continue;
		if (runtime_service_is_rom(rule->node_service)
		            ? !add_module(x->ctx,
		                          plan_of(x, x->clients, rule->node),
		                          rule->to_label, "imported from")
		            : !add_rpc(x, rule->node, rule->node_service, NULL))
			return false;
	}
	return true;
}

static bool name_is_reserved(const char *name)
{
	return !strncmp(name, REMOTE_PROXY_RESERVED_ROM,
	                strlen(REMOTE_PROXY_RESERVED_ROM)) ||
	       !strncmp(name, REMOTE_PROXY_RESERVED_RPC,
	                strlen(REMOTE_PROXY_RESERVED_RPC));
}

static bool plan_all(struct expansion *x)
{
	struct runtime_config *c = x->config;

	for (size_t i = 0; i < c->start_count; i++)
		if (name_is_reserved(c->start[i].name))
			return parse_fail(
				x->ctx,
				"start[%zu] \"%s\": names starting with \"%s\" "
				"or \"%s\" are init's remote proxies'",
				i, c->start[i].name, REMOTE_PROXY_RESERVED_ROM,
				REMOTE_PROXY_RESERVED_RPC);
	if (!plan_routes(x, &c->default_route))
		return false;
	for (size_t i = 0; i < c->start_count; i++)
		if (!plan_routes(x, &c->start[i].route))
			return false;
	x->rpc_clients = x->rpc_count;
	for (size_t i = 0; i < c->export_count; i++) {
		const struct runtime_export *e = &c->exports[i];
		if (runtime_service_is_rom(e->service)
		            ? !add_module(x->ctx,
		                          plan_of(x, x->servers, e->node),
		                          e->label, "exported to")
		            : !add_rpc(x, e->node, e->service, e))
			return false;
	}
	return true;
}

/* --- one proxy child ----------------------------------------------------- */

static char *text_of(const char *format, ...)
	__attribute__((format(printf, 1, 2)));

static char *text_of(const char *format, ...)
{
	char buffer[RUNTIME_LABEL_MAX + RUNTIME_NAME_MAX + 8];
	va_list args;

	va_start(args, format);
	int n = vsnprintf(buffer, sizeof(buffer), format, args); // NOLINT(clang-analyzer-valist.Uninitialized): started by va_start above
	va_end(args);
	return n < 0 || (size_t)n >= sizeof(buffer) ? NULL : strdup(buffer);
}

/* What every proxy's config holds: its identity and the pinned peer, with
 * the link's keepalive when the node table sets one. */
static cJSON *config_base(const struct runtime_config *c,
                          const struct runtime_node *node)
{
	cJSON *o = cJSON_CreateObject(), *peer;

	if (o && cJSON_AddStringToObject(o, "key", c->node_key) &&
	    cJSON_AddStringToObject(o, "cert", c->node_cert) &&
	    (peer = cJSON_AddObjectToObject(o, "peer")) &&
	    cJSON_AddStringToObject(peer, "node", node->name) &&
	    cJSON_AddStringToObject(peer, "fingerprint", node->fingerprint) &&
	    (!node->keepalive_ms ||
	     cJSON_AddNumberToObject(peer, "keepalive_ms", node->keepalive_ms)))
		return o;
	cJSON_Delete(o);
	return NULL;
}

static char *config_text(cJSON *o, bool ok)
{
	char *text = o && ok ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	return text;
}

/* A ROM proxy's config: its modules and, for a server, the node's port. */
static char *rom_proxy_config(const struct runtime_config *c,
                              const struct proxy_plan *plan, bool client)
{
	cJSON *o = config_base(c, plan->node), *modules = NULL;
	bool ok = o &&
	          (client ||
	           cJSON_AddNumberToObject(o, "port", plan->node->port)) &&
	          (modules = cJSON_AddArrayToObject(o, "modules"));

	for (size_t i = 0; ok && i < plan->count; i++)
		ok = cJSON_AddItemToArray(modules,
		                          cJSON_CreateString(plan->modules[i]));
	return config_text(o, ok);
}

/* An RPC proxy's config: the service and, for a server, the export's port. */
static char *rpc_proxy_config(const struct runtime_config *c,
                              const struct rpc_plan *plan)
{
	cJSON *o = config_base(c, plan->node);
	bool ok = o && cJSON_AddStringToObject(o, "service", plan->service) &&
	          (!plan->export ||
	           cJSON_AddNumberToObject(o, "port", plan->export->port));

	return config_text(o, ok);
}

/* A digest of the proxy's config as its version: a changed config restarts
 * it (FNV-1a; nothing hostile chooses this text but the config's author). */
static char *version_of(const char *text)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	return text_of("%016" PRIx64, h);
}

static bool add_rule(struct runtime_route_list *list, const char *service,
                     char *label, enum runtime_route_to to, const char *child)
{
	struct runtime_route_rule *rule = &list->rules[list->count++];

	rule->to = to;
	rule->label = label;
	rule->service = strdup(service);
	rule->child = child ? strdup(child) : NULL;
	return rule->service && (label || strcmp(service, "ROM") != 0) &&
	       (!child || rule->child);
}

/* Every proxy's routes begin with its key and certificate; `extra` more
 * rules follow, then "*" to the parent. */
static bool routes_begin(const struct runtime_config *c,
                         struct runtime_child *p, size_t extra)
{
	struct runtime_route_list *list = &p->route;

	list->rules = calloc(extra + 3, sizeof(*list->rules));
	return list->rules &&
	       add_rule(list, "ROM", text_of("%s -> %s", p->name, c->node_key),
	                RUNTIME_TO_PARENT, NULL) &&
	       add_rule(list, "ROM", text_of("%s -> %s", p->name, c->node_cert),
	                RUNTIME_TO_PARENT, NULL);
}

static bool routes_end(struct runtime_child *p)
{
	return add_rule(&p->route, "*", NULL, RUNTIME_TO_PARENT, NULL);
}

static bool rom_proxy_routes(const struct runtime_config *c,
                             struct runtime_child *p,
                             const struct proxy_plan *plan, bool client)
{
	bool ok = routes_begin(c, p, plan->count);

	for (size_t i = 0; ok && !client && i < c->export_count; i++) {
		const struct runtime_export *e = &c->exports[i];
		if (strcmp(e->node, plan->node->name) != 0 ||
		    !runtime_service_is_rom(e->service))
			continue;
		ok = add_rule(&p->route, "ROM",
		              text_of("%s -> %s", p->name, e->label), e->from,
		              e->from_child);
	}
	return ok && routes_end(p);
}

/* A server's sessions go where the export says, whatever their label. */
static bool rpc_proxy_routes(const struct runtime_config *c,
                             struct runtime_child *p,
                             const struct rpc_plan *plan)
{
	const struct runtime_export *e = plan->export;

	return routes_begin(c, p, 1) &&
	       (!e || add_rule(&p->route, e->service, NULL, e->from,
	                       e->from_child)) &&
	       routes_end(p);
}

/* A new child `name` in the copy: a proxy of `binary` that provides
 * `provides` (or nothing). */
static struct runtime_child *proxy_child(struct expansion *x, char *name,
                                         const char *binary,
                                         const char *provides)
{
	struct runtime_config *c = x->config;
	struct runtime_child *p = &c->start[c->start_count++];

	p->name = name;
	if (!p->name) {
		parse_no_memory(x->ctx);
		return NULL;
	}
	if (strlen(p->name) > RUNTIME_NAME_MAX) {
		parse_fail(
			x->ctx,
			"the proxy's name \"%s\" is longer than %d bytes (shorten the "
			"node's or the service's name)",
			p->name, RUNTIME_NAME_MAX);
		return NULL;
	}
	if (runtime_config_find_child(c, p->name) != p) {
		parse_fail(x->ctx, "two proxies named \"%s\"", p->name);
		return NULL;
	}
	p->binary = strdup(binary);
	p->pkg = c->node_pkg ? strdup(c->node_pkg) : NULL;
	p->ram_given = p->caps_given = p->provides_given = true;
	p->restart = RUNTIME_RESTART_ON_FAILURE;
	if (provides) {
		p->provides.names = calloc(1, sizeof(*p->provides.names));
		if (p->provides.names &&
		    (p->provides.names[0] = strdup(provides)))
			p->provides.count = 1;
	}
	if (!p->binary || (c->node_pkg && !p->pkg) ||
	    (provides && !p->provides.count)) {
		parse_no_memory(x->ctx);
		return NULL;
	}
	return p;
}

static bool proxy_config_done(struct expansion *x, struct runtime_child *p,
                              char *config)
{
	p->config = config;
	p->version = config ? version_of(config) : NULL;
	return p->version || parse_no_memory(x->ctx);
}

static bool make_rom_proxy(struct expansion *x, const struct proxy_plan *plan,
                           bool client)
{
	const char *prefix = client ? REMOTE_PROXY_CLIENT_PREFIX
	                            : REMOTE_PROXY_SERVER_PREFIX;
	struct runtime_child *p =
		proxy_child(x, text_of("%s%s", prefix, plan->node->name),
	                    client ? REMOTE_PROXY_CLIENT_BINARY
	                           : REMOTE_PROXY_SERVER_BINARY,
	                    client ? "ROM" : NULL);

	if (!p)
		return false;
	p->ram = REMOTE_PROXY_RAM_BASE +
	         REMOTE_PROXY_RAM_PER_MODULE * plan->count;
	p->caps = REMOTE_PROXY_CAPS;
	return proxy_config_done(x, p,
	                         rom_proxy_config(x->config, plan, client)) &&
	       (rom_proxy_routes(x->config, p, plan, client) ||
	        parse_no_memory(x->ctx));
}

/* "remote-rpc-from-<node>-<service>": child names are lowercase. */
static char *rpc_proxy_name(const char *node, const char *service, bool client)
{
	char lower[RUNTIME_NAME_MAX + 1];
	size_t n = 0;

	for (; n < RUNTIME_NAME_MAX && service[n]; n++)
		lower[n] = (char)(service[n] >= 'A' && service[n] <= 'Z'
		                          ? service[n] - 'A' + 'a'
		                          : service[n]);
	lower[n] = '\0';
	return text_of("%s%s-%s",
	               client ? REMOTE_RPC_CLIENT_PREFIX
	                      : REMOTE_RPC_SERVER_PREFIX,
	               node, lower);
}

static bool make_rpc_proxy(struct expansion *x, const struct rpc_plan *plan)
{
	bool client = plan->export == NULL;
	struct runtime_child *p = proxy_child(x,
	                                      rpc_proxy_name(plan->node->name,
	                                                     plan->service,
	                                                     client),
	                                      client ? REMOTE_RPC_CLIENT_BINARY
	                                             : REMOTE_RPC_SERVER_BINARY,
	                                      client ? plan->service : NULL);

	if (!p)
		return false;
	p->ram = REMOTE_RPC_PROXY_RAM;
	p->caps = REMOTE_RPC_PROXY_CAPS;
	return proxy_config_done(x, p, rpc_proxy_config(x->config, plan)) &&
	       (rpc_proxy_routes(x->config, p, plan) ||
	        parse_no_memory(x->ctx));
}

/* Points every rule to a node at the node's client proxy of its service. */
static bool point_rules(struct runtime_route_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		struct runtime_route_rule *rule = &list->rules[i];
		if (rule->to != RUNTIME_TO_NODE)
			continue;
		rule->child = runtime_service_is_rom(rule->node_service)
		                      ? text_of("%s%s",
		                                REMOTE_PROXY_CLIENT_PREFIX,
		                                rule->node)
		                      : rpc_proxy_name(rule->node,
		                                       rule->node_service,
		                                       true);
		if (!rule->child)
			return false;
		rule->to = RUNTIME_TO_CHILD;
		free(rule->node);
		free(rule->node_service);
		rule->node = rule->node_service = NULL;
	}
	return true;
}

static bool expand(struct expansion *x)
{
	struct runtime_config *c = x->config;
	if (!plan_all(x))
		return false;
	size_t proxies = x->rpc_count;
	for (size_t i = 0; i < c->node_count; i++)
		proxies += (x->clients[i].count > 0) +
		           (x->servers[i].count > 0);
	if (proxies > REMOTE_PROXIES_MAX)
		return parse_fail(
			x->ctx,
			"%zu remote proxies, more than %d (init reports at most "
			"that many)",
			proxies, REMOTE_PROXIES_MAX);
	struct runtime_child *start = realloc(c->start,
	                                      (c->start_count + proxies + 1) *
	                                              sizeof(*start));
	if (!start)
		return parse_no_memory(x->ctx);
	memset(start + c->start_count, 0, (proxies + 1) * sizeof(*start));
	c->start = start;
	for (size_t i = 0; i < c->node_count; i++) {
		if (x->clients[i].count &&
		    !make_rom_proxy(x, &x->clients[i], true))
			return false;
		if (x->servers[i].count &&
		    !make_rom_proxy(x, &x->servers[i], false))
			return false;
	}
	for (size_t i = 0; i < x->rpc_count; i++)
		if (!make_rpc_proxy(x, &x->rpc[i]))
			return false;
	bool ok = point_rules(&c->default_route);
	for (size_t i = 0; ok && i < c->start_count; i++)
		ok = point_rules(&c->start[i].route);
	return ok || parse_no_memory(x->ctx);
}

enum runtime_config_status runtime_config_expand_remote(
	const struct runtime_config *config, struct runtime_config **out,
	struct runtime_config_error *error)
{
	char *text = runtime_config_to_json(config);
	enum runtime_config_status status;

	*out = NULL;
	if (!text) {
		snprintf(error->message, sizeof(error->message),
		         "out of memory");
		return RUNTIME_CONFIG_NO_MEMORY;
	}
	struct expansion x = { 0 };
	status = runtime_config_parse(text, strlen(text), &x.config, error);
	free(text);
	if (status != RUNTIME_CONFIG_OK)
		return status;
	struct parse_context ctx = { .where = "",
		                     .status = RUNTIME_CONFIG_OK,
		                     .error = error };
	x.ctx = &ctx;
	if (!expand(&x)) {
		runtime_config_free(x.config);
		return ctx.status;
	}
	*out = x.config;
	return RUNTIME_CONFIG_OK;
}

/* An RPC proxy's node and service, from the config the expansion made. */
static bool rpc_proxy_of(const struct runtime_child *child,
                         struct runtime_remote_proxy *out)
{
	cJSON *config = child->config ? cJSON_Parse(child->config) : NULL;
	const cJSON *peer = cJSON_GetObjectItemCaseSensitive(config, "peer");
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(peer, "node");
	const cJSON *service = cJSON_GetObjectItemCaseSensitive(config,
	                                                        "service");
	bool ok = cJSON_IsString(node) && cJSON_IsString(service) &&
	          strlen(node->valuestring) < sizeof(out->node) &&
	          strlen(service->valuestring) < sizeof(out->service);

	if (ok) {
		memcpy(out->node, node->valuestring,
		       strlen(node->valuestring) + 1);
		memcpy(out->service, service->valuestring,
		       strlen(service->valuestring) + 1);
	}
	cJSON_Delete(config);
	return ok;
}

bool runtime_child_is_remote_proxy(const struct runtime_child *child,
                                   struct runtime_remote_proxy *out)
{
	static const struct {
		const char *prefix, *binary;
		bool client, rom;
	} kinds[] = {
		{ REMOTE_PROXY_CLIENT_PREFIX, REMOTE_PROXY_CLIENT_BINARY, true,
		  true },
		{ REMOTE_PROXY_SERVER_PREFIX, REMOTE_PROXY_SERVER_BINARY, false,
		  true },
		{ REMOTE_RPC_CLIENT_PREFIX, REMOTE_RPC_CLIENT_BINARY, true,
		  false },
		{ REMOTE_RPC_SERVER_PREFIX, REMOTE_RPC_SERVER_BINARY, false,
		  false },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);
		if (!child->binary ||
		    strcmp(child->binary, kinds[i].binary) != 0 ||
		    strncmp(child->name, kinds[i].prefix, n) != 0 ||
		    !child->name[n])
			continue;
		out->client = kinds[i].client;
		if (!kinds[i].rom)
			return rpc_proxy_of(child, out);
		if (strlen(child->name + n) >= sizeof(out->node))
			return false;
		memcpy(out->node, child->name + n, strlen(child->name + n) + 1);
		memcpy(out->service, "ROM", sizeof("ROM"));
		return true;
	}
	return false;
}
