/*
 * `depot extract`: installs a local archive file into the depot, with every
 * protection of a downloaded one.
 */
#include <getopt.h>
#include <stdio.h>

#include "extract_limits.h"
#include "tool.h"

static const char usage[] =
	"usage: depot extract [options] <archive-file> <archive-name>\n"
	"\n"
	"Installs <archive-file> (.tar.zst or .tar.xz) as <archive-name>\n"
	"(user/kind/name/version or user/bin/arch/name/version) in the depot.\n"
	"The archive is extracted into <depot>/.staging/ and renamed into place\n"
	"only when complete, so an interrupted run leaves nothing half-done.\n"
	"Refused: absolute paths, '..' components, links that leave the\n"
	"archive, device/fifo/socket entries, content beyond the limits.\n"
	"A manifest (<name>.manifest) records every entry for 'depot verify'.\n"
	"\n"
	"options:\n"
	LIMIT_USAGE;

int cmd_extract(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' }, LIMIT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct depot_limits limits = depot_limits_default();
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		int applied = limits_option(opt, optarg, &limits);
		if (applied < 0)
			return tool_usage_error(usage, "invalid number '%s'",
			                        optarg);
		if (applied == 0)
			return tool_usage_error(usage, "invalid option");
	}
	if (argc - optind != 2)
		return tool_usage_error(usage, "name an archive file and an "
		                        "archive name");
	struct depot_name name;
	struct depot_diag diag = { 0 };
	int err = depot_name_parse(argv[optind + 1], &name, &diag);
	if (!err)
		err = depot_install(tool->depot, &name, argv[optind], &limits,
		                    &diag);
	return err ? tool_fail(err, &diag) : 0;
}
