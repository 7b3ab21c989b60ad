/*
 * `depot bump`: records a recipe's current content hash under a new
 * version (today's date, with a letter when that date is taken).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "options.h"
#include "tool.h"

static const char about[] =
	"Computes the content hash of recipes/<kind>/<name>/ and, when it\n"
	"differs from the one in the recipe's hash file, writes a new hash file\n"
	"'<version> <hash>' with version = today's date (UTC, YYYY-MM-DD), or\n"
	"that date with the next letter (2026-11-21a, ...) when the current\n"
	"version is already of today. Unchanged content keeps its version.\n"
	"Prints '<kind>/<name> <version>'.\n";

static const struct command_face face = {
	.synopsis = "depot bump <kind>/<name>...",
	.about = about,
	.example = "  depot bump src/hello raw/config\n",
	.operands_min = 1,
	.operands_max = -1,
	.operands_wrong = "name at least one recipe",
};

static int bump_one(struct tool *tool, const char *recipe)
{
	char kind[8] = "", name[DEPOT_PART_MAX] = "", version[DEPOT_PART_MAX];
	const char *slash = strchr(recipe, '/');
	struct depot_diag diag = { 0 };
	if (slash && (size_t)(slash - recipe) < sizeof kind &&
	    strlen(slash + 1) < sizeof name) {
		snprintf(kind, sizeof kind, "%.*s", (int)(slash - recipe),
		         recipe);
		snprintf(name, sizeof name, "%s", slash + 1);
	}
	struct depot_recipe_paths paths = { tool->recipes, tool->root };
	int err = depot_recipe_bump(&paths, kind, name, time(NULL), version,
	                            &diag);
	if (err)
		return tool_fail(err, &diag);
	printf("%s %s\n", recipe, version);
	return 0;
}

int cmd_bump(struct tool *tool, int argc, char **argv)
{
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	status = 0;
	for (int i = first; i < argc; i++)
		status |= bump_one(tool, argv[i]);
	return status;
}
