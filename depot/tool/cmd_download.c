/*
 * `depot download`: installs a pkg and its closure from a published TUF
 * repository (depot_download): refreshes and verifies the repository's
 * metadata, resolves the version from the user's signed targets when none
 * is given, and installs every archive the pkg needs only after its
 * length and sha256 matched the signed ones.
 */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "extract_limits.h"
#include "options.h"
#include "summary.h"
#include "tool.h"
#include "transfer.h"

static const char about[] =
	"Installs a pkg and everything it needs from a repository published\n"
	"with 'depot publish', whose root you trusted with 'depot trust\n"
	"import'. First the repository's TUF metadata is refreshed from\n"
	"<mirror>/metadata/ and verified against that root (rollback, freeze,\n"
	"mix-and-match and forged signatures are refused); the verified\n"
	"metadata lives in <depot>/.trust/<repo>/. Without a version, the\n"
	"newest one the user signed is taken. Then every archive the depot\n"
	"lacks is fetched from <mirror>/targets/ and installed only once its\n"
	"length and sha256 match what the user's role signed. If anything is\n"
	"refused, what this command installed is removed again.\n"
	"\n"
	"Installed archives of the pkg are checked against their manifests\n"
	"first: a damaged one (a file changed or removed) is fetched again\n"
	"and replaced once the new copy verified. On a terminal a progress\n"
	"line shows archives done of total, bytes and the rate; at the end\n"
	"the command lists what it installed, repaired and found already\n"
	"there.\n";

int cmd_download(struct tool *tool, int argc, char **argv)
{
	const char *repo = "default", *arch = arch_of_host();
	const char *mirrors[MIRRORS_MAX];
	struct summary summary;
	summary_init(&summary, tool->progress);
	struct depot_fetch_options fetch = {
		.mirrors = mirrors,
		.progress = tool->progress,
		.mirror_failed = transfer_mirror_failed,
		.report = &summary.report,
	};
	struct depot_limits limits = depot_limits_default();
	uint64_t connect_timeout = DEPOT_CONNECT_TIMEOUT_S;
	const struct option_row rows[] = {
		TRANSFER_ROWS(mirrors, &fetch),
		OPTION_NUMBER_ROW("connect-timeout", 0, "S",
		                  "give up connecting "
		                  "after S seconds (30)",
		                  &connect_timeout, 1, 1000000),
		OPTION_TEXT_ROW("repo", "NAME",
		                "the trusted repository (default)", &repo),
		OPTION_TEXT_ROW("arch", "ARCH",
		                "architecture of bin archives\n"
		                "(default: this machine's, uname -m)",
		                &arch),
		LIMIT_ROWS(&limits),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "depot download --mirror URL [options] "
			    "<user>/pkg/<name>[/<version>]",
		.about = about,
		.options = rows,
		.example =
			"  depot trust import root.json\n"
			"  depot download --mirror https://depot.example.org "
			"alice/pkg/hello\n",
		.operands_min = 1,
		.operands_max = 1,
		.operands_wrong = "give --mirror and one pkg",
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	if (fetch.mirror_count == 0)
		return options_usage_error(&face, "give --mirror and one pkg");
	fetch.connect_timeout_s = (long)connect_timeout;
	struct depot_name pkg;
	struct depot_diag diag = { 0 };
	int err = tool_parse_pkg(argv[first], &pkg, &diag);
	if (!err && strcmp(pkg.kind, "pkg") != 0)
		return options_usage_error(&face, "'%s' is not a pkg",
		                           argv[first]);
	if (!err)
		err = depot_download(tool->depot, repo, &pkg, arch, &fetch,
		                     &limits, &diag);
	char text[DEPOT_NAME_MAX];
	depot_name_format(&pkg, text);
	if (!err)
		summary_print(&summary, text);
	summary_free(&summary);
	return err ? tool_fail(err, &diag) : 0;
}
