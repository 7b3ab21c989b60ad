/*
 * `depot build`: makes the bin archive of src archives in the depot, for
 * this machine's arch, with libdepot's depot_build (depot/build.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "depot/build.h"
#include "tool.h"

static const char usage[] =
	"usage: depot build [--arch ARCH] [--jobs N] [--quiet] <user> "
	"src/<name>[/<version>]...\n"
	"\n"
	"Builds <depot>/<user>/bin/<arch>/<name>/<version>.tar.zst from the src\n"
	"archive <user>/src/<name>/<version> (default: the newest in the depot)\n"
	"and installs it. The src archive's build description,\n"
	"recipes/src/<name>/build, names the archives of the same user whose\n"
	"content joins the build tree ('use'), the make targets ('make') and the\n"
	"files that go into the bin archive ('output'); see recipes/README.md.\n"
	"Only archives in the depot are used, never the repository. ARCH must be\n"
	"this machine's (default). Building an existing version again succeeds\n"
	"only when the result is bit-identical.\n"
	"\n"
	"example:\n"
	"  depot create project api/runtime src/make src/kernel src/runtime \\\n"
	"               src/timer\n"
	"  depot build project src/timer\n";

static int build_one(struct tool *tool, const char *user, const char *what,
                     const struct depot_build_options *options)
{
	char text[DEPOT_NAME_MAX + 8];
	struct depot_name src, bin;
	struct depot_diag diag = { 0 };
	snprintf(text, sizeof text, "%s/%s", user, what);
	int err = strncmp(what, "src/", 4) != 0
	          ? DEPOT_E_USAGE : tool_parse_pkg(text, &src, &diag);
	if (err == DEPOT_E_USAGE)
		return tool_usage_error(usage, "'%s' is not src/<name>[/<version>]",
		                        what);
	if (!err)
		err = depot_build(tool->depot, &src, options, &bin, &diag);
	if (err)
		return tool_fail(err, &diag);
	depot_name_format(&bin, text);
	printf("%s\n", text);
	return 0;
}

int cmd_build(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "arch", required_argument, NULL, 'a' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' }, { NULL, 0, NULL, 0 },
	};
	struct depot_build_options build = { .arch = arch_of_host() };
	uint64_t jobs = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "hj:q", options, NULL)) != -1) {
		if (opt == 'a') {
			build.arch = optarg;
		} else if (opt == 'j') {
			if (tool_parse_u64(optarg, &jobs) || jobs < 1 || jobs > 64)
				return tool_usage_error(usage, "--jobs takes 1 to 64");
			build.jobs = (unsigned)jobs;
		} else if (opt == 'q') {
			build.quiet = 1;
		} else if (opt == 'h') {
			fputs(usage, stdout);
			return 0;
		} else {
			return tool_usage_error(usage, "invalid option");
		}
	}
	if (argc - optind < 2)
		return tool_usage_error(usage, "name a user and at least one src "
		                        "archive");
	int status = 0;
	for (int i = optind + 1; i < argc && status != 2; i++)
		status |= build_one(tool, argv[optind], argv[i], &build);
	return status;
}
