/*
 * `sculpt publish`: the user's recipes as signed archives in a depot tree
 * (what a web server serves to other targets): each recipe is created as a
 * reproducible archive in the user's work depot (libdepot's
 * depot_recipe_create), then every one is signed into the tree
 * (depot_publish), which appears complete or not at all.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Creates an archive of USER for every recipe KIND/NAME (raw, src, api\n"
	"or pkg; recipes/KIND/NAME/ as 'depot create' reads it) in the work\n"
	"depot, then publishes them, signed with the keys of --keys (made by\n"
	"'depot keygen'), into the public tree --tree, which any static web\n"
	"server can serve as a mirror ('sculpt depot add USER --mirror URL\n"
	"--root TREE/metadata/1.root.json'). A pkg's other archives must be\n"
	"in the tree already or published with it; bin archives come from\n"
	"'depot build' into the same work depot.\n";

struct publish_args {
	const char *depot, *recipes, *root, *keys, *tree;
};

/* The archive name of `path`, <depot>/<name>.tar.zst. */
static int name_of(const char *depot, const char *path, struct depot_name *name,
                   struct sculpt_diag *diag)
{
	static const char suffix[] = ".tar.zst";
	struct depot_diag about_error = { { 0 }, { 0 } };
	size_t skip = strlen(depot) + 1, length = strlen(path);
	char text[DEPOT_NAME_MAX];

	if (length <= skip + sizeof(suffix) - 1 ||
	    length - skip - (sizeof(suffix) - 1) >= sizeof(text))
		return sculpt_fail(diag, SCULPT_E_DEPOT,
		                   "unexpected archive '%s'", path);
	snprintf(text, sizeof(text), "%.*s",
	         (int)(length - skip - (sizeof(suffix) - 1)), path + skip);
	if (depot_name_parse(text, name, &about_error))
		return sculpt_depot_fail(diag, SCULPT_E_DEPOT, &about_error);
	return 0;
}

static int create(const struct publish_args *a, const char *user,
                  const char *recipe, struct depot_name *name,
                  struct sculpt_diag *diag)
{
	struct depot_recipe_paths paths = { a->recipes, a->root };
	struct depot_diag about_error = { { 0 }, { 0 } };
	char kind[16], path[4096];
	const char *slash = strchr(recipe, '/');
	int err;

	if (!slash || (size_t)(slash - recipe) >= sizeof(kind) || !slash[1])
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "'%s' is no recipe: give "
		                   "KIND/NAME, e.g. pkg/hello",
		                   recipe);
	snprintf(kind, sizeof(kind), "%.*s", (int)(slash - recipe), recipe);
	err = depot_recipe_create(&paths, a->depot, user, kind, slash + 1, path,
	                          &about_error);
	if (err)
		return sculpt_depot_fail(diag, err, &about_error);
	return name_of(a->depot, path, name, diag);
}

static int publish(const struct publish_args *a, const char *user,
                   char **recipes, int count, struct sculpt_diag *diag)
{
	struct depot_name names[64] = { { "", "", "", "", "" } };
	struct depot_publish_keys keys = { a->keys, NULL };
	struct depot_publish_options options = { 0 };
	struct depot_diag about_error = { { 0 }, { 0 } };
	int err = 0;

	if (count > 64)
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "at most 64 recipes at once");
	for (int i = 0; !err && i < count; i++)
		err = create(a, user, recipes[i], &names[i], diag);
	if (err)
		return err;
	err = depot_publish(a->depot, a->tree, &keys, names, (size_t)count,
	                    &options, &about_error);
	if (err)
		return sculpt_depot_fail(diag, err, &about_error);
	for (int i = 0; i < count; i++) {
		char text[DEPOT_NAME_MAX];

		depot_name_format(&names[i], text);
		printf("published %s\n", text);
	}
	printf("into '%s'; its root: %s/metadata/1.root.json\n", a->tree,
	       a->tree);
	return 0;
}

int cmd_publish(struct sculpt *s, int argc, char **argv)
{
	struct publish_args a = { "depot", "recipes", ".", "keys", NULL };
	const struct option_row rows[] = {
		OPTION_TEXT_ROW("tree", "DIR",
		                "the public tree to publish into", &a.tree),
		OPTION_TEXT_ROW("keys", "DIR",
		                "the signing keys (default: keys)", &a.keys),
		OPTION_TEXT_ROW("depot", "DIR",
		                "the work depot (default: depot)", &a.depot),
		OPTION_TEXT_ROW("recipes", "DIR",
		                "the recipes (default: recipes)", &a.recipes),
		OPTION_TEXT_ROW("root", "DIR",
		                "where recipe content paths start\n"
		                "(default: .)",
		                &a.root),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"sculpt publish --tree DIR [options] USER KIND/NAME...",
		.about = about,
		.options = rows,
		.example =
			"  depot keygen --keys keys root targets snapshot "
			"timestamp alice\n"
			"  sculpt publish --tree www/depot alice raw/hello_data "
			"pkg/hello\n",
		.operands_min = 2,
		.operands_max = -1,
		.operands_wrong = "give a user and at least one recipe",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	(void)s;
	if (status != OPTIONS_RUN)
		return status;
	if (!a.tree)
		return options_usage_error(&face, "give --tree DIR");
	return publish(&a, argv[first], argv + first + 1, argc - first - 1,
	               &diag)
	               ? sculpt_report(&diag)
	               : 0;
}
