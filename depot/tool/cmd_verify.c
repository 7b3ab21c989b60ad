/*
 * `depot verify`: rechecks installed archives against their manifests.
 */
#include <getopt.h>
#include <stdio.h>

#include "tool.h"

static const char usage[] =
	"usage: depot verify [<archive>...]\n"
	"\n"
	"Rechecks installed archives (all, or the named ones) against the\n"
	"manifest recorded when each was installed: every file's sha256 and\n"
	"mode, every directory and symlink, and nothing added. Prints\n"
	"'ok <archive>' for each intact one; reports each damaged one and\n"
	"exits 1.\n";

static int verify_one(void *ctx, const struct depot_name *name)
{
	struct tool *tool = ctx;
	char text[DEPOT_NAME_MAX];
	struct depot_diag diag = { 0 };
	depot_name_format(name, text);
	int err = depot_verify(tool->depot, name, &diag);
	if (err) {
		tool_fail(err, &diag);
		fprintf(stderr, "depot: archive '%s' is damaged\n", text);
		return err;
	}
	printf("ok %s\n", text);
	return DEPOT_OK;
}

struct verify_all {
	struct tool *tool;
	int status;
};

/* depot_list stops at the first error; verify every archive anyway. */
static int verify_keep_going(void *ctx, const struct depot_name *name)
{
	struct verify_all *all = ctx;
	if (verify_one(all->tool, name))
		all->status = 1;
	return DEPOT_OK;
}

int cmd_verify(struct tool *tool, int argc, char **argv)
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
	int status = 0;
	for (int i = optind; i < argc; i++) {
		struct depot_name name;
		struct depot_diag diag = { 0 };
		int err = depot_name_parse(argv[i], &name, &diag);
		if (err)
			status = tool_fail(err, &diag);
		else if (verify_one(tool, &name))
			status = 1;
	}
	if (optind < argc)
		return status;
	struct verify_all all = { tool, 0 };
	struct depot_diag diag = { 0 };
	int err = depot_list(tool->depot, verify_keep_going, &all, &diag);
	return err ? tool_fail(err, &diag) : all.status;
}
