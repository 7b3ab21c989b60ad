/*
 * `depot fetch`: downloads archives whose length and SHA-256 the caller
 * vouches for, verifies them while they arrive, and installs them. This is
 * the transfer and install half of `depot download`; the other half (TUF:
 * verifying signed metadata to learn each archive's length and SHA-256)
 * lives in depot/tuf and hands its result to the same depot_fetch() and
 * depot_install() calls this command makes.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "expected.h"
#include "extract_limits.h"
#include "options.h"
#include "tool.h"
#include "transfer.h"

static const char about[] =
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
	"for every archive that may be fetched.\n";

static const char example[] =
	"  depot fetch --mirror https://depot.example.org alice/pkg/hello/"
	"2026-11-21 \\\n"
	"      20480 5d41402abc4b2a76b9719d911017c592...\n";

struct fetch_args {
	const char *expected; /* --expected FILE: closure mode */
	const char *arch;
	const char *mirrors[MIRRORS_MAX];
	struct depot_fetch_options options;
	struct depot_limits limits;
	uint64_t connect_timeout, low_speed, low_speed_time, parallel;
};

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
	if (options_parse_u64(arg[1], &t->length) ||
	    depot_sha256_parse(arg[2], t->sha256)) {
		snprintf(diag->subject, sizeof diag->subject, "%s", arg[0]);
		snprintf(diag->detail, sizeof diag->detail,
		         "expected a length "
		         "in bytes and 64 hex digits of sha256");
		return DEPOT_E_USAGE;
	}
	snprintf(w->path, sizeof w->path, "%s.tar.zst", arg[0]);
	if (snprintf(w->dest, sizeof w->dest, "%s/.download/%s", tool->depot,
	             w->path) >= (int)sizeof w->dest) {
		snprintf(diag->subject, sizeof diag->subject, "%s",
		         tool->depot);
		return DEPOT_E_USAGE;
	}
	t->path = w->path;
	t->dest = w->dest;
	return DEPOT_OK;
}

/* A verified download that cannot be installed now (another one
 * failed) goes back to being its .part: the next run finds it complete,
 * checks its sha256 and needs no transfer; `depot gc` removes it. */
static void keep_for_next_run(const struct wanted *w)
{
	char part[PATH_MAX + 8];
	snprintf(part, sizeof part, "%s.part", w->dest);
	if (rename(w->dest, part) < 0)
		unlink(w->dest);
}

/* Fetches all, then installs all: nothing is installed unless every
 * download verified. */
static int fetch_and_install(struct tool *tool, struct fetch_args *a,
                             struct wanted *w, struct depot_target *t,
                             size_t count)
{
	int status = 0;
	if (depot_fetch(&a->options, t, count) != DEPOT_OK) {
		for (size_t i = 0; i < count; i++) {
			if (t[i].result)
				status = tool_fail(t[i].result, &t[i].diag);
			else
				keep_for_next_run(&w[i]);
		}
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
static int fetch_triples(struct tool *tool, struct fetch_args *a, char **args,
                         size_t count)
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
static int fetch_closure(struct tool *tool, const struct command_face *face,
                         struct fetch_args *a, const char *pkg)
{
	struct depot_name root;
	struct depot_diag diag = { 0 };
	struct expected *expected = NULL;
	int err = depot_name_parse(pkg, &root, &diag);
	if (!err && strcmp(root.kind, "pkg") != 0)
		return options_usage_error(face, "'%s' is not a pkg", pkg);
	if (!err)
		err = expected_load(a->expected, &expected, &diag);
	if (!err)
		err = depot_install_closure(tool->depot, &root, a->arch,
		                            &a->options, &a->limits,
		                            expected_lookup, expected, &diag);
	expected_free(expected);
	return err ? tool_fail(err, &diag) : 0;
}

/* What a command line without --expected must give. */
static const char triples_wanted[] =
	"give --mirror and triples of <archive> <length> <sha256>";

int cmd_fetch(struct tool *tool, int argc, char **argv)
{
	struct fetch_args a = { .limits = depot_limits_default(),
		                .arch = arch_of_host() };
	a.options.mirrors = a.mirrors;
	a.options.mirror_failed = transfer_mirror_failed;
	a.options.progress = tool->progress;
	const struct option_row rows[] = {
		TRANSFER_ROWS(a.mirrors, &a.options),
		OPTION_NUMBER_ROW("connect-timeout", 0, "S",
		                  "give up connecting "
		                  "after S seconds (30)",
		                  &a.connect_timeout, 1, 1000000000),
		OPTION_NUMBER_ROW("low-speed", 0, "BYTES",
		                  "give up on a server "
		                  "slower than BYTES\nper second for "
		                  "--low-speed-time (1)",
		                  &a.low_speed, 1, 1000000000),
		OPTION_NUMBER_ROW("low-speed-time", 0, "S",
		                  "how long a server may "
		                  "stay below\n--low-speed, in seconds (30)",
		                  &a.low_speed_time, 1, 1000000000),
		OPTION_NUMBER_ROW("parallel", 0, "N", "transfers at a time (4)",
		                  &a.parallel, 1, 1000000000),
		OPTION_TEXT_ROW("expected", "FILE",
		                "lengths and sha256s of the "
		                "closure's\narchives: installs a pkg's closure",
		                &a.expected),
		OPTION_TEXT_ROW("arch", "ARCH",
		                "architecture of bin archives\n"
		                "(default: this machine's, uname -m)",
		                &a.arch),
		LIMIT_ROWS(&a.limits),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"depot fetch --mirror URL [options] (<archive> <length> "
			"<sha256>)...\n"
			"       depot fetch --mirror URL [options] --expected "
			"FILE <user>/pkg/<name>/<version>",
		.about = about,
		.options = rows,
		.example = example,
		.operands_min = 1,
		.operands_max = -1,
		.operands_wrong = triples_wanted,
	};
	int first, status = options_parse(&face, argc, argv, &first);
	if (status != OPTIONS_RUN)
		return status;
	a.options.connect_timeout_s = (long)a.connect_timeout;
	a.options.low_speed_bytes = (long)a.low_speed;
	a.options.low_speed_time_s = (long)a.low_speed_time;
	a.options.parallel = (unsigned)a.parallel;
	int left = argc - first;
	if (a.expected && (a.options.mirror_count == 0 || left != 1))
		return options_usage_error(&face, "give --mirror and one pkg");
	if (a.expected)
		return fetch_closure(tool, &face, &a, argv[first]);
	if (a.options.mirror_count == 0 || left % 3 != 0)
		return options_usage_error(&face, "%s", triples_wanted);
	return fetch_triples(tool, &a, argv + first, (size_t)left / 3);
}
