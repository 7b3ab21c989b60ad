/*
 * `depot`: the host tool that turns recipes into archives and archives into
 * installed depot content. This file parses the global options, finds the
 * subcommand in a table and runs it; it is the only place that exits. Each
 * subcommand lives in its own cmd_<name>.c (see tool.h).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "tool.h"

struct command {
	const char *name;
	int (*run)(struct tool *tool, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "build", cmd_build, "build the bin archive of a src archive" },
	{ "bump", cmd_bump,
	  "record a recipe's changed content as a new version" },
	{ "create", cmd_create, "create archives from recipes, reproducibly" },
	{ "deps", cmd_deps, "print the archives an installed pkg needs" },
	{ "download", cmd_download,
	  "install a pkg and its closure from a "
	  "signed repository" },
	{ "extract", cmd_extract, "install an archive file into the depot" },
	{ "fetch", cmd_fetch,
	  "download archives of known length and sha256 "
	  "and install them" },
	{ "gc", cmd_gc, "remove installed archives no kept pkg needs" },
	{ "keygen", cmd_keygen, "make a signing key pair" },
	{ "list", cmd_list, "list installed archives" },
	{ "publish", cmd_publish,
	  "publish archives as a signed TUF "
	  "repository tree" },
	{ "timestamp", cmd_timestamp,
	  "re-sign a published tree's "
	  "timestamp" },
	{ "trust", cmd_trust, "trust a repository's root metadata" },
	{ "verify", cmd_verify,
	  "recheck installed archives against their "
	  "manifests" },
};

static const char usage[] =
	"usage: depot [--depot DIR] [--recipes DIR] [--root DIR] <command> "
	"[<args>]\n"
	"\n"
	"  --depot DIR    the depot (default: $DEPOT_DIR, else\n"
	"                 $XDG_DATA_HOME/depot, else ~/.local/share/depot)\n"
	"  --recipes DIR  the recipes directory (default: ./recipes)\n"
	"  --root DIR     where recipe content paths start (default: .)\n"
	"\n"
	"A depot holds archives as <user>/<kind>/<name>/<version>/ (kinds src,\n"
	"api, raw, pkg) and <user>/bin/<arch>/<name>/<version>/. Recipes in\n"
	"recipes/<kind>/<name>/ describe what goes into each archive.\n"
	"\n"
	"commands:\n";

static void print_usage(FILE *out)
{
	fputs(usage, out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
		        commands[i].summary);
	fputs("\n'depot <command> --help' explains a command.\n"
	      "\nexample:\n"
	      "  depot create alice src/hello\n"
	      "  depot --depot /var/lib/depot download --mirror "
	      "https://depot.example.org \\\n"
	      "      alice/pkg/hello\n",
	      out);
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "depot", required_argument, NULL, 'd' },
		{ "recipes", required_argument, NULL, 'r' },
		{ "root", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char default_depot[PATH_MAX];
	struct tool tool = { .depot = NULL,
		             .recipes = "recipes",
		             .root = ".",
		             .progress = isatty(STDERR_FILENO) };
	int opt;
	/* '+': stop at the command name; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			tool.depot = optarg;
			break;
		case 'r':
			tool.recipes = optarg;
			break;
		case 'R':
			tool.root = optarg;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			exit(EXIT_USAGE);
		}
	}
	if (!tool.depot &&
	    paths_default_depot(default_depot, sizeof default_depot) == 0)
		tool.depot = default_depot;
	if (!tool.depot) {
		fputs("depot: no depot named: give --depot DIR, or set DEPOT_DIR "
		      "or HOME\n",
		      stderr);
		exit(EXIT_USAGE);
	}
	if (optind >= argc) {
		print_usage(stderr);
		exit(EXIT_USAGE);
	}
	const struct command *command = find(argv[optind]);
	if (!command) {
		fprintf(stderr, "depot: unknown command '%s'\n\n",
		        argv[optind]);
		print_usage(stderr);
		exit(EXIT_USAGE);
	}
	argc -= optind;
	argv += optind;
	exit(command->run(&tool, argc, argv));
}
