/*
 * The runtime configuration's C model (format/runtime_config.h): freeing it
 * and the small look-ups that init and the host tools share. Part of
 * libformat; the parser builds the model, this file owns its memory rules:
 * every string and array in it is owned by the model and freed here.
 */
#include "parse_context.h"

#include <stdlib.h>
#include <string.h>

void runtime_name_list_clear(struct runtime_name_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->names[i]);
	free(list->names);
	list->names = NULL;
	list->count = 0;
}

/* Frees what the rules own and the array. */
static void runtime_route_list_clear(struct runtime_route_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		struct runtime_route_rule *rule = &list->rules[i];
		free(rule->service);
		free(rule->label);
		free(rule->label_prefix);
		free(rule->label_suffix);
		free(rule->label_last);
		free(rule->child);
		free(rule->node);
		free(rule->node_service);
		free(rule->to_label);
	}
	free(list->rules);
	list->rules = NULL;
	list->count = 0;
}

void runtime_child_clear(struct runtime_child *child)
{
	free(child->name);
	free(child->binary);
	free(child->pkg);
	runtime_name_list_clear(&child->provides);
	runtime_route_list_clear(&child->route);
	free(child->config);
	free(child->version);
	memset(child, 0, sizeof(*child));
}

void runtime_config_free(struct runtime_config *config)
{
	if (config == NULL)
		return;
	free(config->version);
	runtime_remote_clear(config);
	runtime_name_list_clear(&config->parent_provides);
	runtime_route_list_clear(&config->default_route);
	for (size_t i = 0; i < config->start_count; i++)
		runtime_child_clear(&config->start[i]);
	free(config->start);
	free(config);
}

const struct runtime_child *runtime_config_find_child(
	const struct runtime_config *config, const char *name)
{
	for (size_t i = 0; i < config->start_count; i++)
		if (strcmp(config->start[i].name, name) == 0)
			return &config->start[i];
	return NULL;
}

const char *runtime_restart_word(enum runtime_restart restart)
{
	switch (restart) {
	case RUNTIME_RESTART_ON_FAILURE:
		return "on-failure";
	case RUNTIME_RESTART_ALWAYS:
		return "always";
	case RUNTIME_RESTART_NEVER:
		break;
	}
	return "never";
}

bool runtime_name_list_has(const struct runtime_name_list *list,
                           const char *name)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->names[i], name) == 0)
			return true;
	return false;
}

bool runtime_service_name_is_valid(const char *name)
{
	return parse_text_is_valid(name, RUNTIME_NAME_MAX,
	                           CHARSET_SERVICE_NAME);
}

bool runtime_label_is_printable(const char *label)
{
	return label[0] == '\0' ||
	       parse_text_is_valid(label, RUNTIME_LABEL_MAX, CHARSET_PRINTABLE);
}
