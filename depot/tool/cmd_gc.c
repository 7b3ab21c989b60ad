/*
 * `depot gc`: removes the installed archives that none of the kept pkgs
 * needs.
 */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "options.h"
#include "tool.h"

static const char about[] =
	"Keeps the named pkgs and every archive they need (as 'depot deps'\n"
	"resolves them for ARCH) and removes every other installed archive,\n"
	"printing its name. Each removal is atomic. If any kept pkg cannot be\n"
	"resolved, nothing is removed.\n"
	"\n"
	"It also removes what killed or failed runs left: staging directories,\n"
	"the partial downloads in <depot>/.download/ (which the next fetch\n"
	"of the same archive would otherwise resume) and the pkgs in\n"
	"<depot>/.pending/ still waiting for their closure, printing each\n"
	"path. What a running depot process is using stays.\n";

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

static void print_leftover(void *ctx, const char *path)
{
	(void)ctx;
	printf("%s\n", path);
}

/* Leftovers of killed or failed runs: staging and partial downloads. */
static int clean_leftovers(struct gc *gc)
{
	struct depot_diag diag = { 0 };
	int err = gc->dry_run ? DEPOT_OK
	                      : depot_staging_cleanup(gc->tool->depot, &diag);
	if (!err)
		err = depot_download_cleanup(gc->tool->depot, !gc->dry_run,
		                             print_leftover, NULL, &diag);
	if (!err)
		err = depot_pending_cleanup(gc->tool->depot, !gc->dry_run,
		                            print_leftover, NULL, &diag);
	return err ? tool_fail(err, &diag) : 0;
}

static int collect(struct gc *gc, const char *arch, char **pkgs, int count)
{
	for (int i = 0; i < count; i++) {
		struct depot_name root;
		struct depot_diag diag = { 0 };
		int err = tool_parse_pkg(pkgs[i], &root, &diag);
		if (!err)
			err = depot_closure(gc->tool->depot, &root, arch, keep,
			                    gc, &diag);
		if (err)
			return tool_fail(err, &diag);
	}
	return 0;
}

int cmd_gc(struct tool *tool, int argc, char **argv)
{
	struct gc gc = { .tool = tool };
	const char *arch = arch_of_host();
	const struct option_row rows[] = {
		OPTION_FLAG_ROW("dry-run", 'n',
		                "print what would be removed, "
		                "remove nothing",
		                &gc.dry_run),
		OPTION_TEXT_ROW("arch", "ARCH",
		                "architecture of bin archives\n"
		                "(default: this machine's, uname -m)",
		                &arch),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "depot gc [--dry-run] [--arch ARCH] "
			    "<user>/pkg/<name>[/<version>]...",
		.about = about,
		.options = rows,
		.example =
			"  depot gc --dry-run alice/pkg/hello\n"
			"  depot gc alice/pkg/hello bob/pkg/editor/2026-11-20\n",
		.operands_min = 1,
		.operands_max = -1,
		.operands_wrong = "name the pkgs to keep",
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	status = collect(&gc, arch, argv + first, argc - first);
	struct depot_diag diag = { 0 };
	int err = status ? DEPOT_OK
	                 : depot_list(tool->depot, sweep, &gc, &diag);
	if (err)
		status = tool_fail(err, &diag);
	if (!status)
		status = clean_leftovers(&gc);
	tdestroy(gc.kept, free);
	return status ? status : gc.status;
}
