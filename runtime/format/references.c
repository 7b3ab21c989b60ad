/*
 * The checks of the runtime configuration that need the whole document: the
 * children's names are unique, every route rule's target exists, a named
 * target provides the rule's service, and rules to the parent ask only for
 * what the parent provides. Part of libformat's parser; runs after every entry
 * has been read on its own. Rules with service "*" are checked per request by
 * init's route decision instead, since their service is known only then.
 *
 * The children are looked up through an index sorted by name (and by
 * position among equal names: parse_index_children), so the checks cost
 * O(n log n) for n children and rules, not a scan per rule: the document
 * may come from an untrusted pkg.
 */
#include "parse_context.h"

#include <stdlib.h>
#include <string.h>

/* Names the duplicate whose second occurrence comes first in "start", as
 * a scan in document order would. */
static bool check_unique_names(struct parse_context *ctx,
                               const struct runtime_config *config,
                               const struct parse_child_index *index)
{
	size_t first = 0, second = SIZE_MAX;
	for (size_t k = 1; k < config->start_count; k++)
		if (strcmp(index[k - 1].name, index[k].name) == 0 &&
		    index[k].position < second) {
			second = index[k].position;
			first = index[k - 1].position;
		}
	if (second == SIZE_MAX)
		return true;
	return parse_fail(
		ctx, "duplicate start name \"%s\" (start[%zu] and start[%zu])",
		config->start[second].name, first, second);
}

/* `owner` is the child whose route list holds the rule, NULL for default_route. */
static bool check_rule(struct parse_context *ctx,
                       const struct runtime_config *config,
                       const struct parse_child_index *index,
                       const struct runtime_route_rule *rule,
                       const struct runtime_child *owner)
{
	bool any_service = strcmp(rule->service, "*") == 0;

	if (rule->to == RUNTIME_TO_PARENT && !any_service &&
	    !runtime_name_list_has(&config->parent_provides, rule->service))
		return parse_fail(
			ctx,
			"\"%s\" is routed to the parent, which does not provide it "
			"(see \"parent_provides\")",
			rule->service);
	if (rule->to == RUNTIME_TO_NODE)
		return check_remote_rule(ctx, config, rule);
	if (rule->to != RUNTIME_TO_CHILD)
		return true;
	const struct runtime_child *target = parse_find_child(config, index,
	                                                      rule->child);
	if (target == NULL)
		return parse_fail(ctx, "unknown child \"%s\" in \"to\"",
		                  rule->child);
	if (target == owner)
		return parse_fail(ctx, "\"to\" names the child itself");
	/* a pkg child without its own provides: its runtime file says, so
	 * init's route decision checks per request */
	if (!any_service && target->provides_given &&
	    !runtime_name_list_has(&target->provides, rule->service))
		return parse_fail(ctx, "child \"%s\" does not provide \"%s\"",
		                  rule->child, rule->service);
	return true;
}

static bool check_route_list(struct parse_context *ctx,
                             const struct runtime_config *config,
                             const struct parse_child_index *index,
                             const struct runtime_route_list *list,
                             const char *field,
                             const struct runtime_child *owner)
{
	for (size_t i = 0; i < list->count; i++) {
		size_t previous = parse_enter(ctx, "%s[%zu]", field, i);
		if (!check_rule(ctx, config, index, &list->rules[i], owner))
			return false;
		parse_leave(ctx, previous);
	}
	return true;
}

static bool check_all(struct parse_context *ctx,
                      const struct runtime_config *config,
                      const struct parse_child_index *index)
{
	if (!check_unique_names(ctx, config, index))
		return false;
	if (!check_route_list(ctx, config, index, &config->default_route,
	                      "default_route", NULL))
		return false;
	for (size_t i = 0; i < config->start_count; i++) {
		const struct runtime_child *child = &config->start[i];
		size_t previous = parse_enter(ctx, "start[%zu] \"%s\"", i,
		                              child->name);
		if (!check_route_list(ctx, config, index, &child->route,
		                      "route", child))
			return false;
		parse_leave(ctx, previous);
	}
	return check_remote_config(ctx, config);
}

bool parse_check_references(struct parse_context *ctx,
                            const struct runtime_config *config)
{
	struct parse_child_index *index = parse_index_children(config);
	if (index == NULL)
		return parse_fail(ctx, "out of memory");
	bool ok = check_all(ctx, config, index);
	free(index);
	return ok;
}
