/*
 * runtime_child_apply_pkg (format/pkg_runtime.h): a start entry that names a
 * pkg, merged with the pkg's runtime file. Part of libformat, so init (which
 * starts the merged child) and the host tools (which predict what init
 * starts, and check a config's quota with the merged figures) use one rule:
 * the entry's own fields override, the runtime file fills in the rest. The
 * result is a deep copy: it owns every string, whatever happens to the two
 * inputs later.
 */
#include "format/pkg_runtime.h"

#include "parse_context.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of an optional string; false only when memory ran out. */
static bool copy_text(const char *text, char **out)
{
	*out = NULL;
	if (text == NULL)
		return true;
	*out = strdup(text);
	return *out != NULL;
}

static bool copy_names(const struct runtime_name_list *from,
                       struct runtime_name_list *to)
{
	memset(to, 0, sizeof(*to));
	if (from->count == 0)
		return true;
	to->names = calloc(from->count, sizeof(*to->names));
	if (to->names == NULL)
		return false;
	for (size_t i = 0; i < from->count; i++) {
		if (!copy_text(from->names[i], &to->names[i]))
			return false;
		to->count++;
	}
	return true;
}

static bool copy_rule(const struct runtime_route_rule *from,
                      struct runtime_route_rule *to)
{
	to->to = from->to;
	return copy_text(from->service, &to->service) &&
	       copy_text(from->label, &to->label) &&
	       copy_text(from->label_prefix, &to->label_prefix) &&
	       copy_text(from->label_suffix, &to->label_suffix) &&
	       copy_text(from->label_last, &to->label_last) &&
	       copy_text(from->child, &to->child) &&
	       copy_text(from->node, &to->node) &&
	       copy_text(from->node_service, &to->node_service) &&
	       copy_text(from->to_label, &to->to_label);
}

static bool copy_routes(const struct runtime_route_list *from,
                        struct runtime_route_list *to)
{
	memset(to, 0, sizeof(*to));
	if (from->count == 0)
		return true;
	to->rules = calloc(from->count, sizeof(*to->rules));
	if (to->rules == NULL)
		return false;
	for (size_t i = 0; i < from->count; i++) {
		to->count++; /* counted first: a half-copied rule is freed too */
		if (!copy_rule(&from->rules[i], &to->rules[i]))
			return false;
	}
	return true;
}

static bool merge(const struct runtime_child *entry,
                  const struct pkg_runtime *runtime,
                  struct runtime_child *merged)
{
	merged->ram = entry->ram_given ? entry->ram : runtime->ram;
	merged->caps = entry->caps_given ? entry->caps : runtime->caps;
	merged->ram_given = merged->caps_given = merged->provides_given = true;
	merged->restart = entry->restart;
	merged->restart_after_skipped = entry->restart_after_skipped;
	return copy_text(entry->name, &merged->name) &&
	       copy_text(entry->pkg, &merged->pkg) &&
	       copy_text(entry->binary, &merged->binary) &&
	       copy_text(entry->version, &merged->version) &&
	       copy_text(entry->config ? entry->config : runtime->config,
	                 &merged->config) &&
	       copy_names(entry->provides_given ? &entry->provides
	                                        : &runtime->provides,
	                  &merged->provides) &&
	       copy_routes(&entry->route, &merged->route);
}

enum runtime_config_status runtime_child_apply_pkg(
	const struct runtime_child *entry, const struct pkg_runtime *runtime,
	struct runtime_child *merged, struct runtime_config_error *error)
{
	assert(entry->pkg != NULL);
	memset(merged, 0, sizeof(*merged));
	error->message[0] = '\0';
	if (merge(entry, runtime, merged))
		return RUNTIME_CONFIG_OK;
	runtime_child_clear(merged);
	snprintf(error->message, sizeof(error->message),
	         "start entry \"%s\": out of memory merging pkg \"%s\"",
	         entry->name, entry->pkg);
	return RUNTIME_CONFIG_NO_MEMORY;
}
