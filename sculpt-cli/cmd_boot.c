/*
 * `sculpt boot`: creates a target and starts it from a depot: the base pkg
 * (core and init, as bin archives) is installed into TARGET/depot from its
 * depot user's mirrors, the composition is applied as the first
 * configuration, and core, the binary of the base pkg's core archive, is
 * started as `core --target TARGET --base PKG` (core/README.md), in its
 * own session so that it outlives sculpt; its pid goes to
 * TARGET/sculpt/core.pid. Then sculpt waits until init runs the
 * configuration.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "boot_riscv.h"
#include "install.h"
#include "lib/state.h"
#include "options.h"

static const char about[] =
	"Creates target TARGET (its depot/, config/) and boots it from a\n"
	"depot: installs the base pkg PKG (user/pkg/base[/version], default\n"
	"project/pkg/base; core and init as bin archives) with what it needs\n"
	"from its depot user's mirrors (add the user first: 'sculpt depot\n"
	"add'), applies the composition (empty at first) as generation 1 when\n"
	"the target has no configuration yet, and starts core from the base\n"
	"pkg's core archive: core --target TARGET --base PKG. Core runs in its\n"
	"own session after sculpt ends (its pid in TARGET/sculpt/core.pid; its\n"
	"logs in TARGET/log/); with --foreground sculpt waits for it instead.\n"
	"Nothing of boot/ is needed.\n"
	"\n"
	"With --platform qemu-riscv64 PKG is a whole riscv64 system instead\n"
	"(e.g. project/pkg/riscv_counter_demo): sculpt installs it with the\n"
	"riscv64 bin archives of its closure into TARGET/depot, writes the\n"
	"boot image TARGET/sculpt/riscv64.img from those archives alone (the\n"
	"root, the bin archive its runtime file names as \"binary\", first;\n"
	"then its other bin archives; then the files of its raw archives, such\n"
	"as init.config) and boots it with qemu-system-riscv64 on the `virt`\n"
	"machine, the bin archive holding kernel.elf as the kernel. QEMU ends\n"
	"after --timeout seconds (default 60; status 124), or with the\n"
	"kernel's status; Ctrl-A X leaves it early. --icount makes runs\n"
	"repeatable (-icount shift=0,sleep=off). Needs qemu-system-misc and\n"
	"opensbi. A pkg without an init.config of its own (e.g.\n"
	"project/pkg/riscv_base: the kernel, core, init) gets generation 1 as\n"
	"on linux, and sculpt drives the running machine as a linux target:\n"
	"install, apply, update and rollback push to it live.\n";

/* A depot_archive_fn: the first bin archive called `core` of the closure. */
static int find_core(void *ctx, const struct depot_name *name)
{
	struct depot_name *core = ctx;

	if (!core->name[0] && strcmp(name->kind, "bin") == 0 &&
	    strcmp(name->name, "core") == 0)
		*core = *name;
	return 0;
}

/* TARGET/depot/<core archive>/core of the base pkg `pkg`. */
static int core_of(struct sculpt *s, const char *pkg, char out[PATH_MAX],
                   struct sculpt_diag *diag)
{
	struct depot_name base, core = { .name = "" };
	struct depot_diag about_error = { { 0 }, { 0 } };
	char depot[PATH_MAX], text[DEPOT_NAME_MAX];
	int err;

	sculpt_depot_dir(s, depot);
	depot_name_parse(pkg, &base, &about_error);
	err = depot_closure(depot, &base, arch_of_host(), find_core, &core,
	                    &about_error);
	if (err)
		return sculpt_depot_fail(diag, err, &about_error);
	if (!core.name[0])
		return sculpt_fail(
			diag, SCULPT_E_PKG,
			"pkg '%s' brings no core "
			"(no bin archive 'core' for %s in its closure)",
			pkg, arch_of_host());
	depot_name_format(&core, text);
	if (snprintf(out, PATH_MAX, "%s/%s/core", depot, text) >= PATH_MAX ||
	    access(out, X_OK) != 0)
		return sculpt_fail(diag, SCULPT_E_PKG, "no executable '%s'",
		                   out);
	return 0;
}

/* The base pkg with its version: installed now (or already). */
static int install_base(struct sculpt *s, const char *text,
                        char pkg[DEPOT_NAME_MAX], struct sculpt_diag *diag)
{
	int err;

	if (mkdir(s->target, 0755) && errno != EEXIST)
		return sculpt_fail(diag, SCULPT_E_IO,
		                   "cannot make target '%s': %s", s->target,
		                   strerror(errno));
	err = install_pkg(s, text, pkg, diag);
	if (!err)
		printf("installed %s\n", pkg);
	return err;
}

/* Starts core in a session of its own, its output in TARGET/log/boot.out. */
static int start_core(struct sculpt *s, const char *core, const char *pkg,
                      int foreground, pid_t *pid, struct sculpt_diag *diag)
{
	char out[PATH_MAX];
	int fd;

	if (state_path(s->target, "log/boot.out", out, diag) ||
	    state_write(out, "", 0, diag))
		return SCULPT_E_IO;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0)
		return sculpt_fail(diag, SCULPT_E_IO, "cannot start core: %s",
		                   strerror(errno));
	if (*pid > 0)
		return 0;
	if (!foreground) {
		setsid();
		fd = open(out, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			dup2(fd, STDIN_FILENO);
	}
	execl(core, core, "--target", s->target, "--base", pkg, (char *)NULL);
	fprintf(stderr, "sculpt: cannot run '%s': %s\n", core, strerror(errno));
	_exit(127);
}

static int boot(struct sculpt *s, const char *text, int foreground,
                unsigned timeout_s, struct sculpt_diag *diag)
{
	char pkg[DEPOT_NAME_MAX], core[PATH_MAX], version[32], why[512];
	char path[PATH_MAX], pid_text[32];
	pid_t pid;
	int status, err = install_base(s, text, pkg, diag);

	if (!err)
		err = core_of(s, pkg, core, diag);
	if (!err)
		err = sculpt_first_config(s, version, diag);
	if (!err)
		err = start_core(s, core, pkg, foreground, &pid, diag);
	if (err)
		return err;
	snprintf(pid_text, sizeof(pid_text), "%ld\n", (long)pid);
	if (!state_path(s->target, "sculpt/core.pid", path, diag))
		state_write(path, pid_text, strlen(pid_text), diag);
	printf("core runs as process %ld: %s --target %s --base %s\n",
	       (long)pid, core, s->target, pkg);
	if (foreground) {
		waitpid(pid, &status, 0);
		return 0;
	}
	if (strcmp(version, "generation 0") != 0) {
		struct runtime_config empty = { 0 };

		if (sculpt_watch(s, version, &empty, timeout_s, why,
		                 sizeof(why)))
			return sculpt_fail(
				diag, SCULPT_E_GENERATION,
				"target '%s' "
				"booted, but init does not run %s: %s (see "
				"%s/log/)",
				s->target, version, why, s->target);
		printf("init runs %s; logs in %s/log/, stop with 'kill %ld'\n",
		       version, s->target, (long)pid);
	}
	return 0;
}

/* --platform: the riscv64 boot, or a usage error for an unknown one. */
static int boot_platform(struct sculpt *s, const struct command_face *face,
                         const char *platform, const char *pkg, int foreground,
                         int icount, const char *timeout, unsigned timeout_s)
{
	/* unless given: QEMU attached runs a minute; init detached may
	 * take half of one (QEMU without -icount is slower to boot) */
	struct boot_riscv_options o = { foreground,
		                        timeout      ? timeout_s
		                        : foreground ? 60
		                                     : 30,
		                        icount };

	if (strcmp(platform, BOOT_RISCV_PLATFORM) != 0)
		return options_usage_error(
			face,
			"unknown platform '%s' (known: " BOOT_RISCV_PLATFORM
			"; without "
			"--platform: this host)",
			platform);
	if (!pkg)
		return options_usage_error(face,
		                           "--platform " BOOT_RISCV_PLATFORM
		                           " needs a pkg, e.g. "
		                           "project/pkg/riscv_counter_demo");
	return boot_riscv(s, pkg, &o);
}

int cmd_boot(struct sculpt *s, int argc, char **argv)
{
	int foreground = 0, icount = 0;
	const char *timeout = NULL, *platform = NULL;
	struct deploy_options options;
	const struct option_row rows[] = {
		OPTION_FLAG_ROW("foreground", 0,
		                "run core attached, until it "
		                "ends",
		                &foreground),
		OPTION_TEXT_ROW(
			"timeout", "SECONDS",
			"how long init may take "
			"to run\n(default 10; with --platform: how long\n"
			"QEMU runs, default 60)",
			&timeout),
		OPTION_TEXT_ROW(
			"platform", "NAME",
			"boot PKG on another platform: " BOOT_RISCV_PLATFORM,
			&platform),
		OPTION_FLAG_ROW("icount", 0,
		                "with --platform: -icount\n"
		                "shift=0,sleep=off (repeatable runs)",
		                &icount),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt boot [--foreground] [--timeout S] [PKG]\n"
			    "       sculpt boot --platform " BOOT_RISCV_PLATFORM
			    " [--icount] [--timeout S] PKG",
		.about = about,
		.options = rows,
		.example =
			"  sculpt --target T depot add project --mirror "
			"http://127.0.0.1:8080 --root 1.root.json\n"
			"  sculpt --target T boot project/pkg/base\n"
			"  sculpt --target R boot --platform " BOOT_RISCV_PLATFORM
			" --icount \\\n"
			"      project/pkg/riscv_counter_demo\n",
		.operands_min = 0,
		.operands_max = 1,
		.operands_wrong = "give at most one base pkg",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	if (status == OPTIONS_RUN)
		status = deploy_options_read(&face, s, 0, timeout, &options);
	if (status != OPTIONS_RUN)
		return status;
	if (platform)
		return boot_platform(s, &face, platform,
		                     first < argc ? argv[first] : NULL,
		                     foreground, icount, timeout,
		                     options.timeout_s);
	return boot(s, first < argc ? argv[first] : "project/pkg/base",
	            foreground, options.timeout_s, &diag)
	               ? sculpt_report(&diag)
	               : 0;
}
