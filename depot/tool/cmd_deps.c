/*
 * `depot deps`: prints the closure of an installed pkg.
 */
#include <stdio.h>

#include "arch.h"
#include "options.h"
#include "tool.h"

static const char about[] =
	"Prints every archive the installed pkg needs, dependencies first: the\n"
	"archives its 'archives' file lists, those of nested pkgs, and for each\n"
	"src archive the bin archive built from it for ARCH. Without a version,\n"
	"the newest installed one is used. A pkg that needs itself is refused\n"
	"with the cycle named.\n";

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
	const char *arch = arch_of_host();
	const struct option_row rows[] = {
		OPTION_TEXT_ROW("arch", "ARCH",
		                "architecture of bin archives\n"
		                "(default: this machine's, uname -m)",
		                &arch),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"depot deps [--arch ARCH] <user>/pkg/<name>[/<version>]",
		.about = about,
		.options = rows,
		.example = "  depot deps alice/pkg/hello\n",
		.operands_min = 1,
		.operands_max = 1,
		.operands_wrong = "name one pkg",
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	struct depot_name root;
	struct depot_diag diag = { 0 };
	int err = tool_parse_pkg(argv[first], &root, &diag);
	if (!err)
		err = depot_closure(tool->depot, &root, arch, print_one, NULL,
		                    &diag);
	return err ? tool_fail(err, &diag) : 0;
}
