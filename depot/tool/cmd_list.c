/*
 * `depot list`: prints the installed archives, one name per line.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"usage: depot list [<user>]\n"
	"\n"
	"Prints every archive installed in the depot (all users, or one), one\n"
	"name per line in byte order: user/kind/name/version or\n"
	"user/bin/arch/name/version.\n";

static int print_one(void *ctx, const struct depot_name *name)
{
	const char *user = ctx;
	char text[DEPOT_NAME_MAX];
	if (user && strcmp(user, name->user) != 0)
		return DEPOT_OK;
	depot_name_format(name, text);
	printf("%s\n", text);
	return DEPOT_OK;
}

int cmd_list(struct tool *tool, int argc, char **argv)
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
	if (argc - optind > 1)
		return tool_usage_error(usage, "name at most one user");
	struct depot_diag diag = { 0 };
	int err = depot_list(tool->depot, print_one,
	                     optind < argc ? argv[optind] : NULL, &diag);
	return err ? tool_fail(err, &diag) : 0;
}
