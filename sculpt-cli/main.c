/*
 * `sculpt`: the user's tool that ties the depot to a target (DESIGN.md,
 * "The house"): find and install pkgs, compose components, apply the
 * generated configuration to the target, roll back. This file reads the
 * global options and runs one verb from verbs.c, or the interactive mode;
 * it is the only place that exits. Each verb lives in cmd_<verb>.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "options.h"
#include "sculpt.h"

static const char usage[] =
	"usage: sculpt [--target DIR] [-i] <verb> [<args>]\n"
	"\n"
	"  --target DIR   the target (default: $SCULPT_TARGET, else ./target)\n"
	"  -i             interactive: a prompt with line editing, history and\n"
	"                 completion (also when no verb is given on a terminal)\n"
	"\n"
	"A target is the directory core runs: DIR/depot holds its pkgs,\n"
	"DIR/config/init.config what init runs. sculpt keeps what you composed\n"
	"in DIR/sculpt/composition.json and every applied configuration as a\n"
	"generation in DIR/sculpt/generations/.\n"
	"\n"
	"verbs:\n";

static void print_usage(FILE *out)
{
	fputs(usage, out);
	for (size_t i = 0; i < sculpt_verb_count; i++)
		fprintf(out, "  %-9s %s\n", sculpt_verbs[i].name,
		        sculpt_verbs[i].summary);
	fputs("\n'sculpt <verb> --help' explains a verb.\n"
	      "\nexample:\n"
	      "  sculpt depot add alice --mirror https://depot.example.org "
	      "--root root.json\n"
	      "  sculpt install alice/pkg/hello\n"
	      "  sculpt add hello alice/pkg/hello\n"
	      "  sculpt apply\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, 't' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("SCULPT_TARGET");
	struct sculpt s = { .target = env && env[0] ? env : "target",
		            .progress = isatty(STDERR_FILENO) };
	int opt, interactive = 0;
	const struct verb *verb;

	while ((opt = getopt_long(argc, argv, "+hi", options, NULL)) != -1) {
		switch (opt) {
		case 't':
			s.target = optarg;
			break;
		case 'i':
			interactive = 1;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			exit(EXIT_USAGE);
		}
	}
	if (interactive || (optind >= argc && isatty(STDIN_FILENO)))
		exit(sculpt_interactive(&s));
	if (optind >= argc) {
		print_usage(stderr);
		exit(EXIT_USAGE);
	}
	verb = sculpt_find_verb(argv[optind]);
	if (!verb) {
		fprintf(stderr, "sculpt: unknown verb '%s'\n\n", argv[optind]);
		print_usage(stderr);
		exit(EXIT_USAGE);
	}
	exit(verb->run(&s, argc - optind, argv + optind));
}
