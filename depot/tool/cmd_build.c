/*
 * `depot build`: makes the bin archive of src archives in the depot, for
 * this machine's arch or, from a description for it, another one, with
 * libdepot's depot_build (depot/build.h).
 */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "depot/build.h"
#include "options.h"
#include "tool.h"

static const char about[] =
	"Builds <depot>/<user>/bin/<arch>/<name>/<version>.tar.zst from the src\n"
	"archive <user>/src/<name>/<version> (default: the newest in the depot)\n"
	"and installs it. The src archive's build description,\n"
	"recipes/src/<name>/build, names the archives of the same user whose\n"
	"content joins the build tree ('use'), the make targets ('make') and the\n"
	"files that go into the bin archive ('output'); see recipes/README.md.\n"
	"--arch builds for another arch from the description build.ARCH of the\n"
	"same directory (a cross build, e.g. riscv64).\n"
	"Only archives in the depot are used, never the repository. Building an\n"
	"existing version again succeeds only when the result is bit-identical.\n"
	"The archive's Makefile is its author's code: make runs without network,\n"
	"writing only in the build's staging directory and reading no home\n"
	"directory, with a clean environment, rlimits and a time bound; a host\n"
	"that cannot confine it does not build (depot/lib/README.md).\n"
	"Prints the name of each bin archive.\n";

static const char example[] =
	"  depot create project api/runtime src/make src/kernel src/runtime \\\n"
	"               src/timer\n"
	"  depot build project src/timer\n";

static int build_one(struct tool *tool, const struct command_face *face,
                     const char *user, const char *what,
                     const struct depot_build_options *options)
{
	char text[DEPOT_NAME_MAX + 8];
	struct depot_name src, bin;
	struct depot_diag diag = { 0 };
	snprintf(text, sizeof text, "%s/%s", user, what);
	int err = strncmp(what, "src/", 4) != 0
	                  ? DEPOT_E_USAGE
	                  : tool_parse_pkg(text, &src, &diag);
	if (err == DEPOT_E_USAGE)
		return options_usage_error(face,
		                           "'%s' is not "
		                           "src/<name>[/<version>]",
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
	struct depot_build_options build = { .arch = arch_of_host() };
	uint64_t jobs = 2, timeout = DEPOT_BUILD_TIMEOUT_S;
	const struct option_row rows[] = {
		OPTION_TEXT_ROW("arch", "ARCH",
		                "the architecture to build for:\n"
		                "this machine's (default), or one the src\n"
		                "archive has a description build.ARCH for\n"
		                "(riscv64)",
		                &build.arch),
		OPTION_NUMBER_ROW("jobs", 'j', "N",
		                  "make runs N jobs at a time "
		                  "(2)",
		                  &jobs, 1, 64),
		OPTION_FLAG_ROW("quiet", 'q', "send make's output to /dev/null",
		                &build.quiet),
		OPTION_NUMBER_ROW("timeout", 0, "SECONDS",
		                  "make and all it started\n"
		                  "are killed after SECONDS (3600)",
		                  &timeout, 1, UINT64_C(7) * 24 * 3600),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"depot build [options] <user> src/<name>[/<version>]...",
		.about = about,
		.options = rows,
		.example = example,
		.operands_min = 2,
		.operands_max = -1,
		.operands_wrong = "name a user and at least one src archive",
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	build.jobs = (unsigned)jobs;
	build.timeout_s = (unsigned)timeout;
	status = 0;
	for (int i = first + 1; i < argc; i++) {
		int built = build_one(tool, &face, argv[first], argv[i],
		                      &build);
		if (built == EXIT_USAGE)
			return built;
		status |= built;
	}
	return status;
}
