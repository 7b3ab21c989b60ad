/*
 * `depot deps`: prints the closure of an installed pkg.
 */
#include <getopt.h>
#include <stdio.h>

#include "arch.h"
#include "tool.h"

static const char usage[] =
	"usage: depot deps [--arch ARCH] <user>/pkg/<name>[/<version>]\n"
	"\n"
	"Prints every archive the installed pkg needs, dependencies first: the\n"
	"archives its 'archives' file lists, those of nested pkgs, and for each\n"
	"src archive the bin archive built from it for ARCH (default: this\n"
	"machine's, as 'uname -m' says). Without a version, the newest\n"
	"installed one is used. A pkg that needs itself is refused with the\n"
	"cycle named.\n";

static int print_one(void *ctx, const struct depot_name *name)
{
	(void)ctx;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	printf("%s\n", text);
	return DEPOT_OK;
}

int cmd_deps(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "arch", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	const char *arch = arch_of_host();
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'a') {
			arch = optarg;
			continue;
		}
		if (opt != 'h')
			return tool_usage_error(usage, "invalid option");
		fputs(usage, stdout);
		return 0;
	}
	if (argc - optind != 1)
		return tool_usage_error(usage, "name one pkg");
	struct depot_name root;
	struct depot_diag diag = { 0 };
	int err = tool_parse_pkg(argv[optind], &root, &diag);
	if (!err)
		err = depot_closure(tool->depot, &root, arch, print_one, NULL,
		                    &diag);
	return err ? tool_fail(err, &diag) : 0;
}
