/*
 * `depot create`: turns recipes into archive files in the depot, refusing
 * when a recipe's content changed without a new version.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"usage: depot create <user> <kind>/<name>...\n"
	"\n"
	"Creates <depot>/<user>/<kind>/<name>/<version>.tar.zst from the recipe\n"
	"recipes/<kind>/<name>/ (kinds api, src, raw, pkg; see recipes/README.md).\n"
	"The version comes from the recipe's hash file, which also records the\n"
	"content hash. If the content changed since, the archive is refused and\n"
	"the message names the command that records a new version:\n"
	"  depot bump <kind>/<name>\n"
	"Archives are reproducible: the same content gives a bit-identical file,\n"
	"so creating an existing version again succeeds only when nothing\n"
	"changed.\n"
	"\n"
	"example:\n"
	"  depot --depot out create alice src/hello\n";

static int create_one(struct tool *tool, const char *user, const char *recipe)
{
	char kind[8], name[DEPOT_PART_MAX], path[4096];
	const char *slash = strchr(recipe, '/');
	struct depot_diag diag = { 0 };
	if (!slash || (size_t)(slash - recipe) >= sizeof kind ||
	    strlen(slash + 1) >= sizeof name) {
		snprintf(diag.subject, sizeof diag.subject, "%s", recipe);
		snprintf(diag.detail, sizeof diag.detail, "expected <kind>/<name>");
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
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt != 'h')
			return tool_usage_error(usage, "invalid option");
		fputs(usage, stdout);
		return 0;
	}
	if (argc - optind < 2)
		return tool_usage_error(usage, "name a user and at least one "
		                        "recipe");
	int status = 0;
	for (int i = optind + 1; i < argc; i++)
		status |= create_one(tool, argv[optind], argv[i]);
	return status;
}
