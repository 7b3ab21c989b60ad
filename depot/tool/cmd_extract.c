/*
 * `depot extract`: installs a local archive file into the depot, with every
 * protection of a downloaded one.
 */
#include <stdio.h>

#include "extract_limits.h"
#include "options.h"
#include "tool.h"

static const char about[] =
	"Installs <archive-file> (.tar.zst or .tar.xz) as <archive-name>\n"
	"(user/kind/name/version or user/bin/arch/name/version) in the depot.\n"
	"The archive is extracted into <depot>/.staging/ and renamed into place\n"
	"only when complete, so an interrupted run leaves nothing half-done.\n"
	"Refused: absolute paths, '..' components, links that leave the\n"
	"archive, device/fifo/socket entries, content beyond the limits.\n"
	"A manifest (<name>.manifest) records every entry for 'depot verify'.\n";

int cmd_extract(struct tool *tool, int argc, char **argv)
{
	struct depot_limits limits = depot_limits_default();
	const struct option_row rows[] = { LIMIT_ROWS(&limits), OPTION_END };
	const struct command_face face = {
		.synopsis =
			"depot extract [options] <archive-file> <archive-name>",
		.about = about,
		.options = rows,
		.example = "  depot extract hello.tar.zst "
			   "alice/src/hello/2026-11-21\n",
		.operands_min = 2,
		.operands_max = 2,
		.operands_wrong = "name an archive file and an archive name",
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	struct depot_name name;
	struct depot_diag diag = { 0 };
	int err = depot_name_parse(argv[first + 1], &name, &diag);
	if (!err)
		err = depot_install(tool->depot, &name, argv[first], &limits,
		                    &diag);
	return err ? tool_fail(err, &diag) : 0;
}
