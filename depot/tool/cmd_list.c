/*
 * `depot list`: prints the installed archives, one name per line.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "tool.h"

static const struct command_face face = {
	.synopsis = "depot list [<user>]",
	.about = "Prints every archive installed in the depot (all users, or "
		 "one), one\n"
		 "name per line in byte order: user/kind/name/version or\n"
		 "user/bin/arch/name/version.\n",
	.example = "  depot --depot /var/lib/depot list alice\n",
	.operands_min = 0,
	.operands_max = 1,
	.operands_wrong = "name at most one user",
};

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
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	struct depot_diag diag = { 0 };
	int err = depot_list(tool->depot, print_one,
	                     first < argc ? argv[first] : NULL, &diag);
	return err ? tool_fail(err, &diag) : 0;
}
