/*
 * `depot trust import`: the one step where a person decides to trust a
 * repository. Checks that the file is TUF root metadata signed by its own
 * keys, stores it as the repository's trusted root in
 * <depot>/.trust/<repo>/root.json, and prints its fingerprint and key ids
 * so the person can compare them with what the repository's owner
 * published. Every later root comes by signed rotation, never by hand.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "tool.h"

static const char about[] =
	"Trusts ROOT.json, the root metadata of a repository made by 'depot\n"
	"publish' (its metadata/1.root.json, obtained over a channel you\n"
	"trust), as the root of repository NAME. It must be signed by its own\n"
	"threshold of root keys. Prints the sha256 of the file (its\n"
	"fingerprint) and the key ids of the root role: compare them with the\n"
	"fingerprint the repository's owner published. Asks nothing; later\n"
	"roots arrive by signed rotation during 'depot download'. Trusted\n"
	"metadata lives in <depot>/.trust/NAME/.\n";

static int import(struct tool *tool, const char *repo, const char *file)
{
	struct depot_root_info info;
	struct depot_diag diag = { 0 };
	int err = depot_trust_import(tool->depot, repo, file, &info, &diag);
	if (err)
		return tool_fail(err, &diag);
	printf("imported root of repository '%s' from '%s'\n", repo, file);
	tool_print_root(&info);
	return 0;
}

int cmd_trust(struct tool *tool, int argc, char **argv)
{
	const char *repo = "default";
	const struct option_row rows[] = {
		OPTION_TEXT_ROW("repo", "NAME",
		                "name of the repository in this "
		                "depot\n(default)",
		                &repo),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "depot trust import [--repo NAME] ROOT.json",
		.about = about,
		.options = rows,
		.example = "  depot trust import root.json\n",
		.operands_min = 2,
		.operands_max = 2,
		.operands_wrong = "give 'import' and one root file",
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	if (strcmp(argv[first], "import") != 0)
		return options_usage_error(&face, "give 'import' and one root "
		                                  "file");
	return import(tool, repo, argv[first + 1]);
}
