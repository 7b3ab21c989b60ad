/*
 * `depot trust import`: the one step where a person decides to trust a
 * repository. Checks that the file is TUF root metadata signed by its own
 * keys, stores it as the repository's trusted root in
 * <depot>/.trust/<repo>/root.json, and prints its fingerprint and key ids
 * so the person can compare them with what the repository's owner
 * published. Every later root comes by signed rotation, never by hand.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"usage: depot trust import [--repo NAME] ROOT.json\n"
	"\n"
	"Trusts ROOT.json, the root metadata of a repository made by 'depot\n"
	"publish' (its metadata/1.root.json, obtained over a channel you\n"
	"trust), as the root of repository NAME (default: 'default'). It must\n"
	"be signed by its own threshold of root keys. Prints the sha256 of the\n"
	"file (its fingerprint) and the key ids of the root role: compare\n"
	"them with the fingerprint the repository's owner published. Asks\n"
	"nothing; later roots arrive by signed rotation during 'depot\n"
	"download'. Trusted metadata lives in <depot>/.trust/NAME/.\n"
	"\n"
	"options:\n"
	"  --repo NAME   name of the repository in this depot (default)\n"
	"\n"
	"example:\n"
	"  depot trust import root.json\n";

static int import(struct tool *tool, const char *repo, const char *file)
{
	struct depot_root_info info;
	struct depot_diag diag = { 0 };
	int err = depot_trust_import(tool->depot, repo, file, &info, &diag);
	if (err)
		return tool_fail(err, &diag);
	printf("imported root of repository '%s' from '%s'\n", repo, file);
	printf("fingerprint (sha256 of the file) %s\n", info.sha256);
	printf("version %lld, expires %s, threshold %lld of %zu root keys:\n",
	       info.version, info.expires, info.threshold, info.key_count);
	for (size_t i = 0; i < info.key_count; i++)
		printf("  key id %s\n", info.keyids[i]);
	return 0;
}

int cmd_trust(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "repo", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *repo = "default";
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		if (opt != 'r')
			return tool_usage_error(usage, "invalid option");
		repo = optarg;
	}
	if (argc - optind != 2 || strcmp(argv[optind], "import") != 0)
		return tool_usage_error(usage, "give 'import' and one root file");
	return import(tool, repo, argv[optind + 1]);
}
