/*
 * `depot gc`: removes the installed archives that none of the kept pkgs
 * needs.
 */
#include <getopt.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "tool.h"

static const char usage[] =
	"usage: depot gc [--dry-run] [--arch ARCH] <user>/pkg/<name>[/<version>]"
	"...\n"
	"\n"
	"Keeps the named pkgs and every archive they need (as 'depot deps'\n"
	"resolves them for ARCH, default this machine's) and removes every other\n"
	"installed archive, printing its name. Each removal is atomic. If any\n"
	"kept pkg cannot be resolved, nothing is removed.\n"
	"\n"
	"  --dry-run  print what would be removed, remove nothing\n";

struct gc {
	struct tool *tool;
	void *kept; /* tsearch tree of archive names (strings) */
	int dry_run;
	int status;
};

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int keep(void *ctx, const struct depot_name *name)
{
	struct gc *gc = ctx;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	char *copy = strdup(text);
	char **slot = copy ? tsearch(copy, &gc->kept, cmp) : NULL;
	if (!slot) {
		free(copy);
		return DEPOT_E_NOMEM;
	}
	if (*slot != copy)
		free(copy); /* already kept */
	return DEPOT_OK;
}

static int sweep(void *ctx, const struct depot_name *name)
{
	struct gc *gc = ctx;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	if (tfind(text, &gc->kept, cmp))
		return DEPOT_OK;
	printf("%s\n", text);
	struct depot_diag diag = { 0 };
	int err = gc->dry_run ? DEPOT_OK
	                      : depot_remove(gc->tool->depot, name, &diag);
	if (err)
		gc->status = tool_fail(err, &diag);
	return DEPOT_OK;
}

static int collect(struct gc *gc, const char *arch, char **pkgs, int count)
{
	for (int i = 0; i < count; i++) {
		struct depot_name root;
		struct depot_diag diag = { 0 };
		int err = tool_parse_pkg(pkgs[i], &root, &diag);
		if (!err)
			err = depot_closure(gc->tool->depot, &root, arch, keep, gc,
			                    &diag);
		if (err)
			return tool_fail(err, &diag);
	}
	return 0;
}

int cmd_gc(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "arch", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	struct gc gc = { .tool = tool };
	const char *arch = arch_of_host();
	int opt;
	while ((opt = getopt_long(argc, argv, "hn", options, NULL)) != -1) {
		if (opt == 'n')
			gc.dry_run = 1;
		else if (opt == 'a')
			arch = optarg;
		else if (opt == 'h') {
			fputs(usage, stdout);
			return 0;
		} else
			return tool_usage_error(usage, "invalid option");
	}
	if (argc - optind < 1)
		return tool_usage_error(usage, "name the pkgs to keep");
	int status = collect(&gc, arch, argv + optind, argc - optind);
	struct depot_diag diag = { 0 };
	int err = status ? DEPOT_OK : depot_list(tool->depot, sweep, &gc, &diag);
	if (err)
		status = tool_fail(err, &diag);
	tdestroy(gc.kept, free);
	return status ? status : gc.status;
}
