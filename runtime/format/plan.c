/*
 * The plan of a configuration change (format/plan.h): the running
 * configuration compared with a new one by start name (through a sorted
 * index of the new one's names: n log n, not a scan per running child).
 * Pure, shared by init (which carries the plan out) and sculpt (which shows
 * it before applying).
 */
#include "format/plan.h"

#include "parse_context.h"

#include <stdlib.h>
#include <string.h>

/* Whether two optional strings are equal (NULL equals only NULL). */
static bool same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The config text a child reads: its `config`, or "{}" without one. */
static const char *config_text(const struct runtime_child *entry)
{
	return entry->config ? entry->config : "{}";
}

static bool same_rule(const struct runtime_route_rule *a,
                      const struct runtime_route_rule *b)
{
	return a->to == b->to && same_text(a->service, b->service) &&
	       same_text(a->label, b->label) &&
	       same_text(a->label_prefix, b->label_prefix) &&
	       same_text(a->label_suffix, b->label_suffix) &&
	       same_text(a->label_last, b->label_last) &&
	       same_text(a->child, b->child) && same_text(a->node, b->node) &&
	       same_text(a->node_service, b->node_service) &&
	       same_text(a->to_label, b->to_label);
}

static bool same_routes(const struct runtime_route_list *a,
                        const struct runtime_route_list *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (!same_rule(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}

static unsigned restart_why(const struct runtime_child *was,
                            const struct runtime_child *is)
{
	unsigned why = 0;

	if (!same_text(was->binary, is->binary))
		why |= CONFIG_PLAN_WHY_BINARY;
	if (!same_text(was->pkg, is->pkg))
		why |= CONFIG_PLAN_WHY_PKG;
	if (!same_text(was->version, is->version))
		why |= CONFIG_PLAN_WHY_VERSION;
	return why;
}

static struct config_plan_entry fate_of(const struct runtime_config *running,
                                        const struct runtime_child *was,
                                        const struct runtime_config *next,
                                        const struct parse_child_index *index)
{
	struct config_plan_entry entry = { .fate = CONFIG_PLAN_REMOVE };
	const struct runtime_child *is = parse_find_child(next, index,
	                                                  was->name);

	if (!is)
		return entry;
	entry.next = (size_t)(is - next->start);
	entry.routes_changed = !same_routes(&was->route, &is->route) ||
	                       !same_routes(&running->default_route,
	                                    &next->default_route);
	entry.restart_why = restart_why(was, is);
	if (entry.restart_why) {
		entry.fate = CONFIG_PLAN_RESTART;
		return entry;
	}
	entry.config_changed = strcmp(config_text(was), config_text(is)) != 0;
	entry.ram_raise = is->ram > was->ram ? is->ram - was->ram : 0;
	entry.caps_raise = is->caps > was->caps ? is->caps - was->caps : 0;
	entry.ram_lower = is->ram < was->ram ? was->ram - is->ram : 0;
	entry.caps_lower = is->caps < was->caps ? was->caps - is->caps : 0;
	entry.fate = entry.config_changed || entry.ram_raise ||
	                             entry.caps_raise || entry.ram_lower ||
	                             entry.caps_lower
	                     ? CONFIG_PLAN_UPDATE
	                     : CONFIG_PLAN_UNCHANGED;
	return entry;
}

enum runtime_config_status config_plan_compare(
	const struct runtime_config *running, const struct runtime_config *next,
	struct config_plan *plan)
{
	size_t old_count = running ? running->start_count : 0;

	memset(plan, 0, sizeof(*plan));
	plan->old = calloc(old_count ? old_count : 1, sizeof(*plan->old));
	plan->added = calloc(next->start_count ? next->start_count : 1,
	                     sizeof(*plan->added));
	if (!plan->old || !plan->added) {
		config_plan_free(plan);
		return RUNTIME_CONFIG_NO_MEMORY;
	}
	struct parse_child_index *index = parse_index_children(next);
	if (!index) {
		config_plan_free(plan);
		return RUNTIME_CONFIG_NO_MEMORY;
	}
	plan->old_count = old_count;
	plan->new_count = next->start_count;
	for (size_t i = 0; i < next->start_count; i++)
		plan->added[i] = true;
	for (size_t i = 0; i < old_count; i++) {
		plan->old[i] = fate_of(running, &running->start[i], next,
		                       index);
		if (plan->old[i].fate != CONFIG_PLAN_REMOVE)
			plan->added[plan->old[i].next] = false;
	}
	free(index);
	return RUNTIME_CONFIG_OK;
}

void config_plan_free(struct config_plan *plan)
{
	free(plan->old);
	free(plan->added);
	memset(plan, 0, sizeof(*plan));
}

const char *config_plan_why_text(unsigned why)
{
	if (why & CONFIG_PLAN_WHY_BINARY)
		return "its binary changed";
	if (why & CONFIG_PLAN_WHY_PKG)
		return "its pkg changed";
	if (why & CONFIG_PLAN_WHY_VERSION)
		return "its version changed";
	return "";
}
