/*
 * `depot download`: installs a pkg and its closure from a published TUF
 * repository (depot_download): refreshes and verifies the repository's
 * metadata, resolves the version from the user's signed targets when none
 * is given, and installs every archive the pkg needs only after its
 * length and sha256 matched the signed ones.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "extract_limits.h"
#include "tool.h"

static const char usage[] =
	"usage: depot download --mirror URL [options] <user>/pkg/<name>"
	"[/<version>]\n"
	"\n"
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
	"options:\n"
	"  --mirror URL           base URL of a published tree (http:// or\n"
	"                         https://); repeat for fallbacks, in order\n"
	"  --ca-file FILE         trust the CA certificates in FILE instead of\n"
	"                         the system's\n"
	"  --repo NAME            the trusted repository (default)\n"
	"  --arch ARCH            architecture of bin archives (uname -m)\n"
	LIMIT_USAGE
	"\n"
	"example:\n"
	"  depot trust import root.json\n"
	"  depot download --mirror https://depot.example.org alice/pkg/hello\n";

enum { OPT_MIRROR = 2000, OPT_CA, OPT_REPO, OPT_ARCH, MIRRORS_MAX = 16 };

struct download_args {
	const char *repo, *arch;
	const char *mirrors[MIRRORS_MAX];
	struct depot_fetch_options options;
	struct depot_limits limits;
};

static int apply_option(struct download_args *a, int opt, const char *arg)
{
	int applied = limits_option(opt, arg, &a->limits);
	if (applied)
		return applied < 0 ? tool_usage_error(usage, "invalid number "
		                                      "'%s'", arg) : 0;
	switch (opt) {
	case OPT_MIRROR:
		if (a->options.mirror_count == MIRRORS_MAX)
			return tool_usage_error(usage, "at most %d mirrors",
			                        MIRRORS_MAX);
		a->mirrors[a->options.mirror_count++] = arg;
		return 0;
	case OPT_CA: a->options.ca_file = arg; return 0;
	case OPT_REPO: a->repo = arg; return 0;
	case OPT_ARCH: a->arch = arg; return 0;
	default: return tool_usage_error(usage, "invalid option");
	}
}

int cmd_download(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "mirror", required_argument, NULL, OPT_MIRROR },
		{ "ca-file", required_argument, NULL, OPT_CA },
		{ "repo", required_argument, NULL, OPT_REPO },
		{ "arch", required_argument, NULL, OPT_ARCH },
		LIMIT_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct download_args a = { .repo = "default", .arch = arch_of_host(),
	                           .limits = depot_limits_default() };
	a.options.mirrors = a.mirrors;
	a.options.progress = tool->progress;
	int opt, status;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		if ((status = apply_option(&a, opt, optarg)))
			return status;
	}
	if (a.options.mirror_count == 0 || argc - optind != 1)
		return tool_usage_error(usage, "give --mirror and one pkg");
	struct depot_name pkg;
	struct depot_diag diag = { 0 };
	int err = tool_parse_pkg(argv[optind], &pkg, &diag);
	if (!err && strcmp(pkg.kind, "pkg") != 0)
		return tool_usage_error(usage, "'%s' is not a pkg", argv[optind]);
	if (!err)
		err = depot_download(tool->depot, a.repo, &pkg, a.arch,
		                     &a.options, &a.limits, &diag);
	if (err)
		return tool_fail(err, &diag);
	char text[DEPOT_NAME_MAX];
	depot_name_format(&pkg, text);
	printf("installed %s\n", text);
	return 0;
}
