/*
 * `depot create`: turns recipes into archive files in the depot, refusing
 * when a recipe's content changed without a new version.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "tool.h"

static const char about[] =
	"Creates <depot>/<user>/<kind>/<name>/<version>.tar.zst from the recipe\n"
	"recipes/<kind>/<name>/ (kinds api, src, raw, pkg; see recipes/README.md).\n"
	"The version comes from the recipe's hash file, which also records the\n"
	"content hash. If the content changed since, the archive is refused and\n"
	"the message names the command that records a new version:\n"
	"  depot bump <kind>/<name>\n"
	"Archives are reproducible: the same content gives a bit-identical file,\n"
	"so creating an existing version again succeeds only when nothing\n"
	"changed. Prints the path of each archive.\n";

static const struct command_face face = {
	.synopsis = "depot create <user> <kind>/<name>...",
	.about = about,
	.example = "  depot --depot out create alice src/hello\n",
	.operands_min = 2,
	.operands_max = -1,
	.operands_wrong = "name a user and at least one recipe",
};

static int create_one(struct tool *tool, const char *user, const char *recipe)
{
	char kind[8], name[DEPOT_PART_MAX], path[4096];
	const char *slash = strchr(recipe, '/');
	struct depot_diag diag = { 0 };
	if (!slash || (size_t)(slash - recipe) >= sizeof kind ||
	    strlen(slash + 1) >= sizeof name) {
		snprintf(diag.subject, sizeof diag.subject, "%s", recipe);
		snprintf(diag.detail, sizeof diag.detail,
		         "expected <kind>/<name>");
		return tool_fail(DEPOT_E_RECIPE, &diag);
	}
	snprintf(kind, sizeof kind, "%.*s", (int)(slash - recipe), recipe);
	snprintf(name, sizeof name, "%s", slash + 1);
	struct depot_recipe_paths paths = { tool->recipes, tool->root };
	int err = depot_recipe_create(&paths, tool->depot, user, kind, name,
	                              path, &diag);
	if (err)
		return tool_fail(err, &diag);
	printf("%s\n", path);
	return 0;
}

int cmd_create(struct tool *tool, int argc, char **argv)
{
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	status = 0;
	for (int i = first + 1; i < argc; i++)
		status |= create_one(tool, argv[first], argv[i]);
	return status;
}
