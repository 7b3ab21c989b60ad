/*
 * The table of sculpt's verbs, shared by main.c (one verb from the command
 * line) and interactive.c (verbs line by line, and their completion).
 */
#include <string.h>

#include "sculpt.h"

const struct verb sculpt_verbs[] = {
	{ "boot", cmd_boot,
	  "create a target and start it from a depot's base "
	  "pkg" },
	{ "depot", cmd_depot,
	  "add a depot user; list, search and describe "
	  "its pkgs" },
	{ "install", cmd_install,
	  "download a pkg and what it needs into the "
	  "target's depot" },
	{ "add", cmd_add, "add a component of a pkg, its services routed" },
	{ "route", cmd_route, "route a component's service to a provider" },
	{ "config", cmd_config, "set a component's config" },
	{ "remove", cmd_remove, "remove a component" },
	{ "plan", cmd_plan, "say what applying would do, child by child" },
	{ "apply", cmd_apply,
	  "write the configuration to the target: init "
	  "applies it live" },
	{ "rollback", cmd_rollback, "apply the previous generation again" },
	{ "update", cmd_update, "move components to newer pkg versions" },
	{ "status", cmd_status,
	  "what runs on the target, from init's state "
	  "report" },
	{ "graph", cmd_graph,
	  "components and routes as Graphviz DOT (or SVG)" },
	{ "log", cmd_log, "a component's log lines" },
	{ "publish", cmd_publish,
	  "publish recipes as signed archives into a "
	  "depot tree" },
};

const size_t sculpt_verb_count = sizeof(sculpt_verbs) / sizeof(sculpt_verbs[0]);

const struct verb *sculpt_find_verb(const char *name)
{
	for (size_t i = 0; i < sculpt_verb_count; i++)
		if (strcmp(sculpt_verbs[i].name, name) == 0)
			return &sculpt_verbs[i];
	return NULL;
}
