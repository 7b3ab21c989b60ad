/*
 * `depot fetch`: downloads archives whose length and SHA-256 the caller
 * vouches for, verifies them while they arrive, and installs them. This is
 * the transfer and install half of `depot download`; the other half (TUF:
 * verifying signed metadata to learn each archive's length and SHA-256)
 * lives in depot/tuf and hands its result to the same depot_fetch() and
 * depot_install() calls this command makes.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "expected.h"
#include "extract_limits.h"
#include "tool.h"

static const char usage[] =
	"usage: depot fetch --mirror URL [options] (<archive> <length> "
	"<sha256>)...\n"
	"       depot fetch --mirror URL [options] --expected FILE "
	"<user>/pkg/<name>/<version>\n"
	"\n"
	"Downloads <mirror>/<archive>.tar.zst for each archive name\n"
	"(user/kind/name/version or user/bin/arch/name/version), several at a\n"
	"time, and installs it into the depot once its exact <length> and\n"
	"<sha256> (64 hex digits) are confirmed. These two values are trusted\n"
	"as given: take them from verified metadata, never from the server\n"
	"itself. Nothing is installed unless every archive verifies.\n"
	"An interrupted download is resumed from <depot>/.download/ by the next\n"
	"run. Certificates are always verified.\n"
	"\n"
	"The second form installs a pkg and everything it needs (see 'depot\n"
	"deps'), fetching what the depot lacks, round by round as nested pkgs\n"
	"reveal their lists; FILE gives '<archive> <length> <sha256>' per line\n"
	"for every archive that may be fetched.\n"
	"\n"
	"options:\n"
	"  --mirror URL           a base URL (http:// or https://); repeat to\n"
	"                         give fallbacks, tried in order\n"
	"  --ca-file FILE         trust the CA certificates in FILE instead of\n"
	"                         the system's\n"
	"  --connect-timeout S    give up connecting after S seconds (30)\n"
	"  --low-speed BYTES      give up on a server slower than BYTES per\n"
	"  --low-speed-time S     second for S seconds (1 byte/s, 30 s)\n"
	"  --parallel N           transfers at a time (4)\n"
	"  --expected FILE        lengths and sha256s of the closure's archives\n"
	"  --arch ARCH            architecture of bin archives (uname -m)\n"
	LIMIT_USAGE
	"\n"
	"example:\n"
	"  depot fetch --mirror https://depot.example.org alice/pkg/hello/"
	"2026-11-21 \\\n"
	"      20480 5d41402abc4b2a76b9719d911017c592...\n";

enum { OPT_MIRROR = 2000, OPT_CA, OPT_EXPECTED, OPT_ARCH, OPT_CONNECT,
       OPT_SPEED, OPT_SPEED_TIME, OPT_PARALLEL, MIRRORS_MAX = 16 };

struct fetch_args {
	const char *expected; /* --expected FILE: closure mode */
	const char *arch;
	const char *mirrors[MIRRORS_MAX];
	struct depot_fetch_options options;
	struct depot_limits limits;
};

static int number(const char *text, long *out)
{
	uint64_t v;
	if (tool_parse_u64(text, &v) || v == 0 || v > 1000000000)
		return -1;
	*out = (long)v;
	return 0;
}

/* Applies one option; returns 0, or the exit status of a usage error. */
static int apply_option(struct fetch_args *a, int opt, const char *arg)
{
	struct depot_fetch_options *o = &a->options;
	long value = 0;
	int applied = limits_option(opt, arg, &a->limits);
	if (applied)
		return applied < 0 ? tool_usage_error(usage, "invalid number "
		                                      "'%s'", arg) : 0;
	if (opt == OPT_MIRROR) {
		if (o->mirror_count == MIRRORS_MAX)
			return tool_usage_error(usage, "at most %d mirrors",
			                        MIRRORS_MAX);
		a->mirrors[o->mirror_count++] = arg;
		return 0;
	}
	if (opt == OPT_CA || opt == OPT_EXPECTED || opt == OPT_ARCH) {
		*(opt == OPT_CA ? &o->ca_file : opt == OPT_EXPECTED
		  ? &a->expected : &a->arch) = arg;
		return 0;
	}
	if (opt < OPT_CONNECT || opt > OPT_PARALLEL || number(arg, &value))
		return tool_usage_error(usage, opt < OPT_CONNECT
		                        ? "invalid option"
		                        : "invalid number '%s'", arg);
	if (opt == OPT_CONNECT) o->connect_timeout_s = value;
	if (opt == OPT_SPEED) o->low_speed_bytes = value;
	if (opt == OPT_SPEED_TIME) o->low_speed_time_s = value;
	if (opt == OPT_PARALLEL) o->parallel = (unsigned)value;
	return 0;
}

struct wanted {
	struct depot_name name;
	char path[DEPOT_NAME_MAX + 16];
	char dest[PATH_MAX];
};

/* Fills one target from "<archive> <length> <sha256>". */
static int parse_target(struct tool *tool, char **arg, struct wanted *w,
                        struct depot_target *t, struct depot_diag *diag)
{
	int err = depot_name_parse(arg[0], &w->name, diag);
	if (err)
		return err;
	if (tool_parse_u64(arg[1], &t->length) ||
	    depot_sha256_parse(arg[2], t->sha256)) {
		snprintf(diag->subject, sizeof diag->subject, "%s", arg[0]);
		snprintf(diag->detail, sizeof diag->detail, "expected a length "
		         "in bytes and 64 hex digits of sha256");
		return DEPOT_E_USAGE;
	}
	snprintf(w->path, sizeof w->path, "%s.tar.zst", arg[0]);
	if (snprintf(w->dest, sizeof w->dest, "%s/.download/%s", tool->depot,
	             w->path) >= (int)sizeof w->dest) {
		snprintf(diag->subject, sizeof diag->subject, "%s", tool->depot);
		return DEPOT_E_USAGE;
	}
	t->path = w->path;
	t->dest = w->dest;
	return DEPOT_OK;
}

/* Fetches all, then installs all: nothing is installed unless every
 * download verified. */
static int fetch_and_install(struct tool *tool, struct fetch_args *a,
                             struct wanted *w, struct depot_target *t,
                             size_t count)
{
	int status = 0;
	if (depot_fetch(&a->options, t, count) != DEPOT_OK) {
		for (size_t i = 0; i < count; i++)
			if (t[i].result)
				status = tool_fail(t[i].result, &t[i].diag);
		return status;
	}
	for (size_t i = 0; i < count; i++) {
		struct depot_diag diag = { 0 };
		int err = depot_install(tool->depot, &w[i].name, w[i].dest,
		                        &a->limits, &diag);
		unlink(w[i].dest);
		if (err)
			status = tool_fail(err, &diag);
	}
	return status;
}

/* Triples of <archive> <length> <sha256> from the command line. */
static int fetch_triples(struct tool *tool, struct fetch_args *a,
                         char **args, size_t count)
{
	struct wanted *w = calloc(count, sizeof *w);
	struct depot_target *t = calloc(count, sizeof *t);
	struct depot_diag diag = { 0 };
	int err = (!w || !t) ? DEPOT_E_NOMEM : DEPOT_OK;
	for (size_t i = 0; !err && i < count; i++)
		err = parse_target(tool, &args[3 * i], &w[i], &t[i], &diag);
	int status = err ? tool_fail(err, &diag)
	                 : fetch_and_install(tool, a, w, t, count);
	free(w);
	free(t);
	return status;
}

/* --expected: the pkg and its closure. */
static int fetch_closure(struct tool *tool, struct fetch_args *a,
                         const char *pkg)
{
	struct depot_name root;
	struct depot_diag diag = { 0 };
	struct expected *expected = NULL;
	int err = depot_name_parse(pkg, &root, &diag);
	if (!err && strcmp(root.kind, "pkg") != 0)
		err = tool_usage_error(usage, "'%s' is not a pkg", pkg);
	else if (!err)
		err = expected_load(a->expected, &expected, &diag);
	if (!err)
		err = depot_install_closure(tool->depot, &root, a->arch,
		                            &a->options, &a->limits,
		                            expected_lookup, expected, &diag);
	expected_free(expected);
	if (err == EXIT_USAGE)
		return err;
	return err ? tool_fail(err, &diag) : 0;
}

int cmd_fetch(struct tool *tool, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "mirror", required_argument, NULL, OPT_MIRROR },
		{ "ca-file", required_argument, NULL, OPT_CA },
		{ "expected", required_argument, NULL, OPT_EXPECTED },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT },
		{ "low-speed", required_argument, NULL, OPT_SPEED },
		{ "low-speed-time", required_argument, NULL, OPT_SPEED_TIME },
		{ "parallel", required_argument, NULL, OPT_PARALLEL },
		LIMIT_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct fetch_args a = { .limits = depot_limits_default(),
	                        .arch = arch_of_host() };
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
	int left = argc - optind;
	if (a.expected && (a.options.mirror_count == 0 || left != 1))
		return tool_usage_error(usage, "give --mirror and one pkg");
	if (a.expected)
		return fetch_closure(tool, &a, argv[optind]);
	if (a.options.mirror_count == 0 || left == 0 || left % 3 != 0)
		return tool_usage_error(usage, "give --mirror and triples of "
		                        "<archive> <length> <sha256>");
	return fetch_triples(tool, &a, argv + optind, (size_t)left / 3);
}
