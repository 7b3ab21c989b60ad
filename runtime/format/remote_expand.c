/*
 * runtime_config_expand_remote (format/remote.h): the configuration init
 * runs, with the remote ROM proxies as ordinary children. Pure and part of
 * libformat, so sculpt predicts the proxies with the same call as init.
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

#define PROXY_PREFIX "remote-rom-"

/* The modules one proxy carries, in the order of the config. */
struct proxy_plan {
	const struct runtime_node *node;
	const char *modules[REMOTE_PROXY_MODULES_MAX];
	size_t count;
};

struct expansion {
	struct runtime_config *config;     /* the copy being expanded */
	struct proxy_plan clients[RUNTIME_NODES_MAX];
	struct proxy_plan servers[RUNTIME_NODES_MAX];
	struct parse_context *ctx;
};

static bool add_module(struct parse_context *ctx, struct proxy_plan *plan, const char *module,
                       const char *role)
{
	for (size_t i = 0; i < plan->count; i++)
		if (!strcmp(plan->modules[i], module))
			return true;
	if (plan->count == REMOTE_PROXY_MODULES_MAX)
		return parse_fail(ctx, "more than %d ROMs %s node \"%s\" (one link carries at "
		                  "most that many)", REMOTE_PROXY_MODULES_MAX, role,
		                  plan->node->name);
	plan->modules[plan->count++] = module;
	return true;
}

static struct proxy_plan *plan_of(struct expansion *x, struct proxy_plan *plans,
                                  const char *node)
{
	const struct runtime_node *n = runtime_config_find_node(x->config, node);

	/* the parser checked that every routed or exporting node is listed */
	assert(n != NULL);
	size_t i = (size_t)(n - x->config->nodes);
	plans[i].node = n;
	return &plans[i];
}

static bool plan_routes(struct expansion *x, const struct runtime_route_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct runtime_route_rule *rule = &list->rules[i];
		if (rule->to == RUNTIME_TO_NODE &&
		    !add_module(x->ctx, plan_of(x, x->clients, rule->node), rule->to_label,
		                "imported from"))
			return false;
	}
	return true;
}

static bool plan_all(struct expansion *x)
{
	struct runtime_config *c = x->config;

	for (size_t i = 0; i < c->start_count; i++)
		if (!strncmp(c->start[i].name, PROXY_PREFIX, strlen(PROXY_PREFIX)))
			return parse_fail(x->ctx, "start[%zu] \"%s\": names starting with \"%s\" "
			                  "are init's remote proxies'", i, c->start[i].name,
			                  PROXY_PREFIX);
	if (!plan_routes(x, &c->default_route))
		return false;
	for (size_t i = 0; i < c->start_count; i++)
		if (!plan_routes(x, &c->start[i].route))
			return false;
	for (size_t i = 0; i < c->export_count; i++)
		if (!add_module(x->ctx, plan_of(x, x->servers, c->exports[i].node),
		                c->exports[i].label, "exported to"))
			return false;
	return true;
}

/* --- one proxy child ----------------------------------------------------- */

static char *text_of(const char *format, ...) __attribute__((format(printf, 1, 2)));

static char *text_of(const char *format, ...)
{
	char buffer[RUNTIME_LABEL_MAX + RUNTIME_NAME_MAX + 8];
	va_list args;

	va_start(args, format);
	int n = vsnprintf(buffer, sizeof(buffer), format, args); // NOLINT(clang-analyzer-valist.Uninitialized): started by va_start above
	va_end(args);
	return n < 0 || (size_t)n >= sizeof(buffer) ? NULL : strdup(buffer);
}

/* The proxy's config: its identity, the pinned peer, its modules and,
 * for a server, the port it listens on. */
static char *proxy_config(const struct runtime_config *c, const struct proxy_plan *plan,
                          bool client)
{
	cJSON *o = cJSON_CreateObject(), *peer, *modules;
	char *text = NULL;

	if (o && cJSON_AddStringToObject(o, "key", c->node_key) &&
	    cJSON_AddStringToObject(o, "cert", c->node_cert) &&
	    (peer = cJSON_AddObjectToObject(o, "peer")) &&
	    cJSON_AddStringToObject(peer, "node", plan->node->name) &&
	    cJSON_AddStringToObject(peer, "fingerprint", plan->node->fingerprint) &&
	    (client || cJSON_AddNumberToObject(o, "port", plan->node->port)) &&
	    (modules = cJSON_AddArrayToObject(o, "modules"))) {
		bool ok = true;
		for (size_t i = 0; ok && i < plan->count; i++)
			ok = cJSON_AddItemToArray(modules, cJSON_CreateString(plan->modules[i]));
		if (ok)
			text = cJSON_PrintUnformatted(o);
	}
	cJSON_Delete(o);
	return text;
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

static bool add_rule(struct runtime_route_list *list, const char *service, char *label,
                     enum runtime_route_to to, const char *child)
{
	struct runtime_route_rule *rule = &list->rules[list->count++];

	rule->to = to;
	rule->label = label;
	rule->service = strdup(service);
	rule->child = child ? strdup(child) : NULL;
	return rule->service && (label || !strcmp(service, "*")) && (!child || rule->child);
}

static bool proxy_routes(const struct runtime_config *c, struct runtime_child *p,
                         const struct proxy_plan *plan, bool client)
{
	struct runtime_route_list *list = &p->route;
	bool ok;

	list->rules = calloc(plan->count + 3, sizeof(*list->rules));
	if (!list->rules)
		return false;
	ok = add_rule(list, "ROM", text_of("%s -> %s", p->name, c->node_key), RUNTIME_TO_PARENT,
	              NULL) &&
	     add_rule(list, "ROM", text_of("%s -> %s", p->name, c->node_cert), RUNTIME_TO_PARENT,
	              NULL);
	for (size_t i = 0; ok && !client && i < c->export_count; i++) {
		const struct runtime_export *e = &c->exports[i];
		if (strcmp(e->node, plan->node->name) != 0)
			continue;
		ok = add_rule(list, "ROM", text_of("%s -> %s", p->name, e->label), e->from,
		              e->from_child);
	}
	return ok && add_rule(list, "*", NULL, RUNTIME_TO_PARENT, NULL);
}

static bool make_proxy(struct expansion *x, const struct proxy_plan *plan, bool client)
{
	struct runtime_config *c = x->config;
	struct runtime_child *p = &c->start[c->start_count++];
	const char *prefix = client ? REMOTE_PROXY_CLIENT_PREFIX : REMOTE_PROXY_SERVER_PREFIX;

	p->name = text_of("%s%s", prefix, plan->node->name);
	if (p->name && runtime_config_find_child(c, p->name) != p)
		return parse_fail(x->ctx, "two proxies named \"%s\"", p->name);
	p->binary = strdup(client ? REMOTE_PROXY_CLIENT_BINARY : REMOTE_PROXY_SERVER_BINARY);
	p->ram = REMOTE_PROXY_RAM_BASE + REMOTE_PROXY_RAM_PER_MODULE * plan->count;
	p->caps = REMOTE_PROXY_CAPS;
	p->ram_given = p->caps_given = p->provides_given = true;
	p->restart = RUNTIME_RESTART_ON_FAILURE;
	p->config = proxy_config(c, plan, client);
	p->version = p->config ? version_of(p->config) : NULL;
	if (client) {
		p->provides.names = calloc(1, sizeof(*p->provides.names));
		if (p->provides.names && (p->provides.names[0] = strdup("ROM")))
			p->provides.count = 1;
	}
	if (!p->name || !p->binary || !p->config || !p->version ||
	    (client && !p->provides.count) || !proxy_routes(c, p, plan, client))
		return parse_no_memory(x->ctx);
	return true;
}

/* Points every rule to a node at the node's client proxy. */
static bool point_rules(struct runtime_route_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		struct runtime_route_rule *rule = &list->rules[i];
		if (rule->to != RUNTIME_TO_NODE)
			continue;
		rule->child = text_of("%s%s", REMOTE_PROXY_CLIENT_PREFIX, rule->node);
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
	size_t proxies = 0;

	if (!plan_all(x))
		return false;
	for (size_t i = 0; i < c->node_count; i++)
		proxies += (x->clients[i].count > 0) + (x->servers[i].count > 0);
	struct runtime_child *start = realloc(c->start, (c->start_count + proxies + 1) *
	                                      sizeof(*start));
	if (!start)
		return parse_no_memory(x->ctx);
	memset(start + c->start_count, 0, (proxies + 1) * sizeof(*start));
	c->start = start;
	for (size_t i = 0; i < c->node_count; i++) {
		if (x->clients[i].count && !make_proxy(x, &x->clients[i], true))
			return false;
		if (x->servers[i].count && !make_proxy(x, &x->servers[i], false))
			return false;
	}
	bool ok = point_rules(&c->default_route);
	for (size_t i = 0; ok && i < c->start_count; i++)
		ok = point_rules(&c->start[i].route);
	return ok || parse_no_memory(x->ctx);
}

enum runtime_config_status runtime_config_expand_remote(const struct runtime_config *config,
                                                        struct runtime_config **out,
                                                        struct runtime_config_error *error)
{
	char *text = runtime_config_to_json(config);
	enum runtime_config_status status;

	*out = NULL;
	if (!text) {
		snprintf(error->message, sizeof(error->message), "out of memory");
		return RUNTIME_CONFIG_NO_MEMORY;
	}
	struct expansion x = { 0 };
	status = runtime_config_parse(text, strlen(text), &x.config, error);
	free(text);
	if (status != RUNTIME_CONFIG_OK)
		return status;
	struct parse_context ctx = { .where = "", .status = RUNTIME_CONFIG_OK, .error = error };
	x.ctx = &ctx;
	if (!expand(&x)) {
		runtime_config_free(x.config);
		return ctx.status;
	}
	*out = x.config;
	return RUNTIME_CONFIG_OK;
}

bool runtime_child_is_remote_proxy(const struct runtime_child *child, const char **node,
                                   bool *client)
{
	static const struct { const char *prefix, *binary; bool client; } kinds[] = {
		{ REMOTE_PROXY_CLIENT_PREFIX, REMOTE_PROXY_CLIENT_BINARY, true },
		{ REMOTE_PROXY_SERVER_PREFIX, REMOTE_PROXY_SERVER_BINARY, false },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);
		if (child->binary && !strcmp(child->binary, kinds[i].binary) &&
		    !strncmp(child->name, kinds[i].prefix, n) && child->name[n]) {
			*node = child->name + n;
			*client = kinds[i].client;
			return true;
		}
	}
	return false;
}
