/*
 * `sculpt install [--arch ARCH] PKG`: libdepot's download of a pkg and
 * its closure from the depot user's mirrors into the target's depot,
 * verified against the user's trusted TUF metadata, with progress on a
 * terminal; the bin archives of the target's arch (riscv64 for a target
 * booted with --platform qemu-riscv64, else the host's) or of ARCH. On a
 * running riscv target what its machine lacks is then pushed to it
 * (target_archives.h).
 */
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "install.h"
#include "lib/depots.h"
#include "options.h"
#include "sculpt.h"
#include "target_archives.h"
#include "target_control.h"

/* The arch of core on riscv's bin archives (core/archive_name.h). */
#define RISCV_ARCH "riscv64"

static const char about[] =
	"Downloads PKG (user/pkg/name[/version]; the newest signed version\n"
	"when none is given) and every archive it needs from the mirrors of\n"
	"its depot user (see 'sculpt depot add') into TARGET/depot. The user's\n"
	"TUF metadata is refreshed and verified first; each archive is\n"
	"installed only when its length and sha256 match the signed ones.\n"
	"When anything is refused, the depot stays as it was. An installed\n"
	"archive that no longer matches its manifest is fetched again and\n"
	"replaced once the new copy verified. On a terminal a progress line\n"
	"shows archives done of total, bytes and the rate.\n"
	"\n"
	"The bin archives are those of the target's arch, or with --arch those\n"
	"of ARCH: riscv64 for a target booted with 'sculpt boot --platform\n"
	"qemu-riscv64', the host's for any other.\n"
	"\n"
	"On a riscv target whose machine runs, every archive of PKG's closure\n"
	"the machine lacks (the pkg, its raw and riscv64 bin archives) is then\n"
	"pushed to it over its control channel, each checked against its\n"
	"manifest first and recorded in TARGET/sculpt/machine once core said\n"
	"it took it (TARGET/log/core.log), so that 'sculpt apply' starts PKG\n"
	"there live. A push core refuses, or archives over what core keeps\n"
	"for pushed ones (16 archives, 2 MiB in all, 8 MiB a file), fail with\n"
	"the reason and nothing of that archive recorded. When the machine is\n"
	"not running, PKG waits in TARGET/depot: the next boot puts the\n"
	"archives of the generation applied last into its boot image.\n";

static int slashes(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '/';
	return n;
}

/* libdepot found an installed archive damaged and fetches it again:
 * say so, since the person may want to know what changed it. */
static void on_archive(void *ctx, const struct depot_name *name,
                       enum depot_fate fate, const struct depot_diag *why)
{
	char text[DEPOT_NAME_MAX];

	(void)ctx;
	if (fate != DEPOT_FATE_DAMAGED)
		return;
	depot_name_format(name, text);
	fprintf(stderr, "sculpt: damaged '%s': '%s' %s; fetching it again\n",
	        text, why->subject, why->detail);
}

int install_pkg_for(struct sculpt *s, const char *text, const char *arch,
                    char installed[DEPOT_NAME_MAX], struct sculpt_diag *diag)
{
	static const struct depot_install_report report = {
		.archive = on_archive
	};
	struct depot_users users;
	const struct depot_user *user;
	struct depot_fetch_options fetch;
	struct depot_limits limits = depot_limits_default();
	struct depot_name pkg = { 0 };
	struct depot_diag about_error = { { 0 }, { 0 } };
	char depot[PATH_MAX], with_version[DEPOT_NAME_MAX + DEPOT_PART_MAX];
	int err;

	/* user/pkg/name alone is parsed with a placeholder version */
	snprintf(with_version, sizeof(with_version), "%s%s", text,
	         slashes(text) == 2 ? "/0" : "");
	if (depot_name_parse(with_version, &pkg, &about_error) ||
	    strcmp(pkg.kind, "pkg") != 0)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "'%s' is not a pkg name "
		                   "(user/pkg/name[/version])",
		                   text);
	if (slashes(text) == 2)
		pkg.version[0] = '\0';
	err = depots_load(s->target, &users, diag);
	if (!err)
		err = depots_find(&users, pkg.user, &user, diag);
	if (!err) {
		depots_fetch_options(user, s->progress, &fetch);
		fetch.report = &report;
		sculpt_depot_dir(s, depot);
		err = depot_download(depot, pkg.user, &pkg, arch, &fetch,
		                     &limits, &about_error);
		if (err)
			err = sculpt_depot_fail(diag, err, &about_error);
	}
	depots_free(&users);
	if (!err)
		depot_name_format(&pkg, installed);
	return err;
}

int install_pkg(struct sculpt *s, const char *text,
                char installed[DEPOT_NAME_MAX], struct sculpt_diag *diag)
{
	return install_pkg_for(s, text, arch_of_host(), installed, diag);
}

const char *install_target_arch(const struct sculpt *s)
{
	return target_control_recorded(s->target) ? RISCV_ARCH : arch_of_host();
}

int install_push(struct sculpt *s, const char *pkg, const char *arch,
                 struct sculpt_diag *diag)
{
	struct target_control control = { .fd = -1 };
	int err;

	if (strcmp(arch, RISCV_ARCH) != 0 ||
	    !target_control_recorded(s->target))
		return 0;
	err = target_control_open(s->target, &control, diag);
	if (err && control.stopped) {
		printf("target '%s' is not running: %s waits in '%s/depot'; "
		       "the next 'sculpt boot --platform qemu-riscv64' puts "
		       "the archives of the generation applied last into its "
		       "boot image\n",
		       s->target, pkg, s->target);
		return 0;
	}
	if (!err)
		err = target_archives_push(s, &control, pkg, diag);
	target_control_close(&control);
	return err;
}

int cmd_install(struct sculpt *s, int argc, char **argv)
{
	const char *arch = NULL;
	const struct option_row rows[] = {
		OPTION_TEXT_ROW("arch", "ARCH",
		                "the bin archives of ARCH (e.g. riscv64),\n"
		                "not of the target's arch",
		                &arch),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt install [--arch ARCH] PKG...",
		.about = about,
		.options = rows,
		.example = "  sculpt install alice/pkg/hello\n"
			   "  sculpt install --arch riscv64 alice/pkg/hello\n",
		.operands_min = 1,
		.operands_max = -1,
		.operands_wrong = "give at least one pkg",
	};
	struct sculpt_diag diag = { "" };
	char installed[DEPOT_NAME_MAX];
	int first, status = options_parse(&face, argc, argv, &first);

	if (status == OPTIONS_RUN && arch && !depot_part_valid(arch))
		status = options_usage_error(&face, "'%s' is no arch name",
		                             arch);
	if (status != OPTIONS_RUN)
		return status;
	for (int i = first; i < argc; i++) {
		const char *to = arch ? arch : install_target_arch(s);

		if (install_pkg_for(s, argv[i], to, installed, &diag))
			return sculpt_report(&diag);
		printf("installed %s%s%s\n", installed,
		       strcmp(to, arch_of_host()) != 0 ? " for " : "",
		       strcmp(to, arch_of_host()) != 0 ? to : "");
		if (install_push(s, installed, to, &diag))
			return sculpt_report(&diag);
	}
	return 0;
}
