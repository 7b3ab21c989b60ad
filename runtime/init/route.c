/*
 * Init's routing decision (route.h): the decode step of a session request. It
 * names the session with the client's label, finds the first matching rule
 * (the client's route list, then default_route) and checks that the rule's
 * target can serve. Pure: it reads the configuration model and writes only
 * the decision; acting on it is the session plumbing's job.
 */
#include "route.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <runtime/session_args.h>

static enum route_target decide(struct route_decision *decision,
                                enum route_target target,
                                const struct runtime_child *server,
                                const char *format, ...)
	__attribute__((format(printf, 4, 5)));

static void write_reason(struct route_decision *decision, const char *format,
                         va_list args) __attribute__((format(printf, 2, 0)));

static void write_reason(struct route_decision *decision, const char *format,
                         va_list args)
{
	vsnprintf(decision->reason, sizeof(decision->reason), format, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
}

static enum route_target decide(struct route_decision *decision,
                                enum route_target target,
                                const struct runtime_child *server,
                                const char *format, ...)
{
	va_list args;

	decision->target = target;
	decision->server = server;
	va_start(args, format);
	write_reason(decision, format, args);
	va_end(args);
	return target;
}

/* Denies a malformed request; returns false. */
static bool refuse(struct route_decision *decision, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static bool refuse(struct route_decision *decision, const char *format, ...)
{
	va_list args;

	decision->target = ROUTE_DENIED;
	va_start(args, format);
	write_reason(decision, format, args);
	va_end(args);
	return false;
}

static bool ends_with(const char *text, const char *suffix)
{
	size_t text_length = strlen(text);
	size_t suffix_length = strlen(suffix);

	return suffix_length <= text_length &&
	       strcmp(text + text_length - suffix_length, suffix) == 0;
}

static bool rule_matches(const struct runtime_route_rule *rule,
                         const char *service, const char *label)
{
	return (strcmp(rule->service, "*") == 0 ||
	        strcmp(rule->service, service) == 0) &&
	       (rule->label == NULL || strcmp(label, rule->label) == 0) &&
	       (rule->label_prefix == NULL ||
	        strncmp(label, rule->label_prefix,
	                strlen(rule->label_prefix)) == 0) &&
	       (rule->label_suffix == NULL ||
	        ends_with(label, rule->label_suffix)) &&
	       (rule->label_last == NULL ||
	        strcmp(session_label_last(label), rule->label_last) == 0);
}

/* The first child other than `client` that provides `service`, or NULL. */
static const struct runtime_child *any_provider(
	const struct runtime_config *config, const struct runtime_child *client,
	const char *service)
{
	for (size_t i = 0; i < config->start_count; i++) {
		const struct runtime_child *child = &config->start[i];
		if (child != client &&
		    runtime_name_list_has(&child->provides, service))
			return child;
	}
	return NULL;
}

static enum route_target decide_to_parent(const struct runtime_config *config,
                                          const char *service, const char *rule,
                                          struct route_decision *decision)
{
	if (!runtime_name_list_has(&config->parent_provides, service))
		return decide(
			decision, ROUTE_DENIED, NULL,
			"%s routes \"%s\" to the parent, which does not provide it",
			rule, service);
	return decide(decision, ROUTE_TO_PARENT, NULL,
	              "%s: \"%s\" to the parent", rule, service);
}

static enum route_target decide_to_child(const struct runtime_config *config,
                                         const struct runtime_child *client,
                                         const struct runtime_route_rule *route,
                                         const char *service, const char *rule,
                                         struct route_decision *decision)
{
	const struct runtime_child *server =
		runtime_config_find_child(config, route->child);

	/* a route to another node: its proxy sees the module's name there */
	if (route->to_label)
		snprintf(decision->label, sizeof(decision->label), "%s -> %s",
		         client->name, route->to_label);

	if (server == NULL)
		return decide(decision, ROUTE_DENIED, NULL,
		              "%s names no child \"%s\"", rule, route->child);
	if (server == client)
		return decide(decision, ROUTE_DENIED, NULL,
		              "%s routes \"%s\" of \"%s\" to itself", rule,
		              service, client->name);
	if (!runtime_name_list_has(&server->provides, service))
		return decide(
			decision, ROUTE_DENIED, NULL,
			"%s routes \"%s\" to child \"%s\", which does not provide it",
			rule, service, server->name);
	return decide(decision, ROUTE_TO_CHILD, server,
	              "%s: \"%s\" to child \"%s\"", rule, service,
	              server->name);
}

static enum route_target decide_to_any_child(
	const struct runtime_config *config, const struct runtime_child *client,
	const char *service, const char *rule, struct route_decision *decision)
{
	const struct runtime_child *server = any_provider(config, client,
	                                                  service);

	if (server == NULL)
		return decide(
			decision, ROUTE_DENIED, NULL,
			"%s routes \"%s\" to any child, but no other child provides it",
			rule, service);
	return decide(decision, ROUTE_TO_CHILD, server,
	              "%s: \"%s\" to child \"%s\" (any-child)", rule, service,
	              server->name);
}

/* Applies the matching `route`; `rule` names it for the reason. */
static enum route_target decide_by_rule(const struct runtime_config *config,
                                        const struct runtime_child *client,
                                        const struct runtime_route_rule *route,
                                        const char *service, const char *rule,
                                        struct route_decision *decision)
{
	switch (route->to) {
	case RUNTIME_TO_PARENT:
		return decide_to_parent(config, service, rule, decision);
	case RUNTIME_TO_CHILD:
		return decide_to_child(config, client, route, service, rule,
		                       decision);
	case RUNTIME_TO_ANY_CHILD:
		return decide_to_any_child(config, client, service, rule,
		                           decision);
	case RUNTIME_TO_NODE: /* init runs the expanded config (format/remote.h) */
		return decide(decision, ROUTE_DENIED, NULL,
		              "%s names node \"%s\", whose "
		              "proxy init did not make",
		              rule, route->node);
	}
	return decide(decision, ROUTE_DENIED, NULL, "%s has an unknown target",
	              rule);
}

/* The first rule of `list` matching the request, or NULL; *index is its place. */
static const struct runtime_route_rule *first_match(
	const struct runtime_route_list *list, const char *service,
	const char *label, size_t *index)
{
	for (size_t i = 0; i < list->count; i++) {
		if (rule_matches(&list->rules[i], service, label)) {
			*index = i;
			return &list->rules[i];
		}
	}
	return NULL;
}

/* Checks the request itself and writes the full label; false if denied. */
static bool request_is_valid(const struct runtime_config *config,
                             const char *client_name, const char *service,
                             const char *label,
                             const struct runtime_child **client,
                             struct route_decision *decision)
{
	*client = runtime_config_find_child(config, client_name);
	if (*client == NULL)
		return refuse(decision,
		              "no child \"%.*s\" in the configuration",
		              RUNTIME_NAME_MAX, client_name);
	if (!runtime_service_name_is_valid(service))
		return refuse(decision,
		              "\"%s\" asked for a malformed service name",
		              client_name);
	if (strnlen(label, RUNTIME_LABEL_MAX + 1) > RUNTIME_LABEL_MAX)
		return refuse(decision,
		              "\"%s\" sent a label longer than %d bytes",
		              client_name, RUNTIME_LABEL_MAX);
	if (!runtime_label_is_printable(label))
		return refuse(decision,
		              "\"%s\" sent a label with control characters "
		              "or invalid UTF-8",
		              client_name);
	if (label[0] == '\0')
		snprintf(decision->label, sizeof(decision->label), "%s",
		         client_name);
	else
		snprintf(decision->label, sizeof(decision->label), "%s -> %s",
		         client_name, label);
	return true;
}

enum route_target route_decide(const struct runtime_config *config,
                               const char *client_name, const char *service,
                               const char *label,
                               struct route_decision *decision)
{
	const struct runtime_child *client = NULL;
	char rule[RUNTIME_NAME_MAX + 48];
	size_t index = 0;

	memset(decision, 0, sizeof(*decision));
	if (!request_is_valid(config, client_name, service, label, &client,
	                      decision))
		return ROUTE_DENIED;
	const struct runtime_route_rule *route =
		first_match(&client->route, service, decision->label, &index);
	if (route != NULL) {
		snprintf(rule, sizeof(rule), "route[%zu] of \"%s\"", index,
		         client->name);
		decision->named_service = strcmp(route->service, "*") != 0;
		return decide_by_rule(config, client, route, service, rule,
		                      decision);
	}
	route = first_match(&config->default_route, service, decision->label,
	                    &index);
	if (route != NULL) {
		snprintf(rule, sizeof(rule), "default_route[%zu]", index);
		decision->named_service = strcmp(route->service, "*") != 0;
		return decide_by_rule(config, client, route, service, rule,
		                      decision);
	}
	return decide(
		decision, ROUTE_DENIED, NULL,
		"no rule of \"%s\" or default_route matches \"%s\" with label \"%s\"",
		client->name, service, decision->label);
}
