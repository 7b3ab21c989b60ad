/*
 * `depot verify`: rechecks installed archives against their manifests.
 */
#include <stdio.h>

#include "options.h"
#include "tool.h"

static const char about[] =
	"Rechecks installed archives (all, or the named ones) against the\n"
	"manifest recorded when each was installed: every file's sha256 and\n"
	"mode, every directory and symlink, and nothing added. Prints\n"
	"'ok <archive>' for each intact one; reports each damaged one and\n"
	"exits 1.\n";

static const struct command_face face = {
	.synopsis = "depot verify [<archive>...]",
	.about = about,
	.example = "  depot verify alice/src/hello/2026-11-21\n",
	.operands_min = 0,
	.operands_max = -1,
	.operands_wrong = "",
};

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
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	status = 0;
	for (int i = first; i < argc; i++) {
		struct depot_name name;
		struct depot_diag diag = { 0 };
		int err = depot_name_parse(argv[i], &name, &diag);
		if (err)
			status = tool_fail(err, &diag);
		else if (verify_one(tool, &name))
			status = 1;
	}
	if (first < argc)
		return status;
	struct verify_all all = { tool, 0 };
	struct depot_diag diag = { 0 };
	int err = depot_list(tool->depot, verify_keep_going, &all, &diag);
	return err ? tool_fail(err, &diag) : all.status;
}
