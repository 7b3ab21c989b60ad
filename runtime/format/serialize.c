/*
 * runtime_config_to_json: the canonical JSON text of a runtime configuration
 * model, so that the host tool writes exactly what init reads and tests can
 * round-trip. Part of libformat. Canonical means: unformatted, keys in the
 * order of the README, sizes as whole bytes, caps always given (for a pkg
 * entry: ram, caps and provides as the entry gives them), optional
 * fields left out when absent or empty, a child's config as its canonical
 * text. Built with cJSON; any allocation failure gives NULL.
 */
#include "format/runtime_config.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>

static bool add_string(cJSON *object, const char *key, const char *value)
{
	return value == NULL ||
	       cJSON_AddStringToObject(object, key, value) != NULL;
}

static bool add_whole_number(cJSON *object, const char *key, uint64_t value)
{
	char digits[24];

	snprintf(digits, sizeof(digits), "%" PRIu64, value);
	return cJSON_AddRawToObject(object, key, digits) != NULL;
}

static bool add_names(cJSON *object, const char *key,
                      const struct runtime_name_list *list)
{
	cJSON *array = cJSON_AddArrayToObject(object, key);

	if (array == NULL)
		return false;
	for (size_t i = 0; i < list->count; i++) {
		cJSON *name = cJSON_CreateString(list->names[i]);
		if (name == NULL || !cJSON_AddItemToArray(array, name)) {
			cJSON_Delete(name);
			return false;
		}
	}
	return true;
}

static const char *target_text(const struct runtime_route_rule *rule)
{
	switch (rule->to) {
	case RUNTIME_TO_PARENT:
		return "parent";
	case RUNTIME_TO_ANY_CHILD:
		return "any-child";
	case RUNTIME_TO_CHILD:
		return rule->child;
	case RUNTIME_TO_NODE:
		break;
	}
	return NULL;
}

/* A rule's "to": a word, or the object naming a node. */
static bool add_target(cJSON *object, const struct runtime_route_rule *rule)
{
	if (rule->to != RUNTIME_TO_NODE)
		return cJSON_AddStringToObject(object, "to",
		                               target_text(rule)) != NULL;
	cJSON *to = cJSON_AddObjectToObject(object, "to");
	return to != NULL && add_string(to, "node", rule->node) &&
	       add_string(to, "service", rule->node_service) &&
	       add_string(to, "label", rule->to_label);
}

static cJSON *rule_json(const struct runtime_route_rule *rule)
{
	cJSON *object = cJSON_CreateObject();

	if (object == NULL || !add_string(object, "service", rule->service) ||
	    !add_string(object, "label", rule->label) ||
	    !add_string(object, "label_prefix", rule->label_prefix) ||
	    !add_string(object, "label_suffix", rule->label_suffix) ||
	    !add_string(object, "label_last", rule->label_last) ||
	    !add_target(object, rule)) {
		cJSON_Delete(object);
		return NULL;
	}
	return object;
}

static bool add_routes(cJSON *object, const char *key,
                       const struct runtime_route_list *list)
{
	cJSON *array = cJSON_AddArrayToObject(object, key);

	if (array == NULL)
		return false;
	for (size_t i = 0; i < list->count; i++) {
		cJSON *rule = rule_json(&list->rules[i]);
		if (rule == NULL || !cJSON_AddItemToArray(array, rule)) {
			cJSON_Delete(rule);
			return false;
		}
	}
	return true;
}

/* Whether a child's ram, caps or provides are written: always for a binary
 * child (a hand-built model need not set the flags), for a pkg child when
 * its entry gives them. */
static bool given(const struct runtime_child *child, bool flag)
{
	return child->binary != NULL || flag;
}

static bool add_child_fields(cJSON *object, const struct runtime_child *child)
{
	return add_string(object, "name", child->name) &&
	       add_string(object, "binary", child->binary) &&
	       add_string(object, "pkg", child->pkg) &&
	       (!given(child, child->ram_given) ||
	        add_whole_number(object, "ram", child->ram)) &&
	       (!given(child, child->caps_given) ||
	        add_whole_number(object, "caps", child->caps)) &&
	       (!given(child, child->provides_given) ||
	        (child->provides.count == 0 && child->binary) ||
	        add_names(object, "provides", &child->provides)) &&
	       (child->route.count == 0 ||
	        add_routes(object, "route", &child->route)) &&
	       (child->config == NULL ||
	        cJSON_AddRawToObject(object, "config", child->config)) &&
	       add_string(object, "version", child->version) &&
	       (child->restart == RUNTIME_RESTART_NEVER ||
	        add_string(object, "restart",
	                   runtime_restart_word(child->restart))) &&
	       (child->restart_after_skipped == 0 ||
	        add_whole_number(object, "restart_after_skipped",
	                         child->restart_after_skipped));
}

static bool add_children(cJSON *object, const struct runtime_config *config)
{
	cJSON *array = cJSON_AddArrayToObject(object, "start");

	if (array == NULL)
		return false;
	for (size_t i = 0; i < config->start_count; i++) {
		cJSON *child = cJSON_CreateObject();
		if (child == NULL || !cJSON_AddItemToArray(array, child)) {
			cJSON_Delete(child);
			return false;
		}
		if (!add_child_fields(child, &config->start[i]))
			return false;
	}
	return true;
}

static bool add_report(cJSON *object, const struct runtime_config *config)
{
	if (!config->report)
		return true;
	cJSON *report = cJSON_AddObjectToObject(object, "report");
	return report != NULL &&
	       add_whole_number(report, "delay_ms", config->report_delay_ms);
}

static bool add_heartbeat(cJSON *object, const struct runtime_config *config)
{
	if (!config->heartbeat_rate_ms)
		return true;
	cJSON *heartbeat = cJSON_AddObjectToObject(object, "heartbeat");
	return heartbeat != NULL && add_whole_number(heartbeat, "rate_ms",
	                                             config->heartbeat_rate_ms);
}

static bool add_node_self(cJSON *object, const struct runtime_config *config)
{
	if (!config->node_name)
		return true;
	cJSON *node = cJSON_AddObjectToObject(object, "node");
	return node != NULL && add_string(node, "name", config->node_name) &&
	       add_string(node, "key", config->node_key) &&
	       add_string(node, "cert", config->node_cert) &&
	       add_string(node, "pkg", config->node_pkg);
}

static bool add_nodes(cJSON *object, const struct runtime_config *config)
{
	if (!config->node_count)
		return true;
	cJSON *array = cJSON_AddArrayToObject(object, "nodes");
	for (size_t i = 0; array != NULL && i < config->node_count; i++) {
		const struct runtime_node *n = &config->nodes[i];
		cJSON *node = cJSON_CreateObject();
		if (node == NULL || !cJSON_AddItemToArray(array, node)) {
			cJSON_Delete(node);
			return false;
		}
		if (!add_string(node, "name", n->name) ||
		    !add_string(node, "fingerprint", n->fingerprint) ||
		    (n->port && !add_whole_number(node, "port", n->port)) ||
		    (n->keepalive_ms &&
		     !add_whole_number(node, "keepalive_ms", n->keepalive_ms)))
			return false;
	}
	return array != NULL;
}

static bool add_exports(cJSON *object, const struct runtime_config *config)
{
	if (!config->export_count)
		return true;
	cJSON *array = cJSON_AddArrayToObject(object, "exports");
	for (size_t i = 0; array != NULL && i < config->export_count; i++) {
		const struct runtime_export *e = &config->exports[i];
		cJSON *export = cJSON_CreateObject();
		if (export == NULL || !cJSON_AddItemToArray(array, export)) {
			cJSON_Delete(export);
			return false;
		}
		if (!add_string(export, "node", e->node) ||
		    !add_string(export, "service", e->service) ||
		    !add_string(export, "label", e->label) ||
		    (e->port && !add_whole_number(export, "port", e->port)) ||
		    (e->from == RUNTIME_TO_CHILD &&
		     !add_string(export, "from", e->from_child)))
			return false;
	}
	return array != NULL;
}

static bool add_yield(cJSON *object, const struct runtime_config *config)
{
	if (!config->yield_deadline_ms)
		return true;
	cJSON *yield = cJSON_AddObjectToObject(object, "yield");
	return yield != NULL && add_whole_number(yield, "deadline_ms",
	                                         config->yield_deadline_ms);
}

char *runtime_config_to_json(const struct runtime_config *config)
{
	cJSON *object = cJSON_CreateObject();
	char *text = NULL;

	if (object != NULL && add_string(object, "version", config->version) &&
	    add_names(object, "parent_provides", &config->parent_provides) &&
	    add_routes(object, "default_route", &config->default_route) &&
	    add_report(object, config) && add_heartbeat(object, config) &&
	    add_node_self(object, config) && add_nodes(object, config) &&
	    add_exports(object, config) && add_yield(object, config) &&
	    add_children(object, config))
		text = cJSON_PrintUnformatted(object);
	cJSON_Delete(object);
	return text;
}
