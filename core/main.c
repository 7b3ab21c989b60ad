/*
 * core: the root component. `core --target DIR` serves the core services
 * on one entrypoint, starts init from boot module `init` (or, with
 * --base, from the init bin archive of a base pkg in DIR/depot/,
 * base_boot.h) in a PD of its own with core as its parent, and runs until
 * SIGINT or SIGTERM (or, with --exit-with-init, until init ends, exiting
 * with init's exit code). On the way out it kills every protection domain;
 * they would die with core anyway (kpd_create sets PDEATHSIG).
 *
 *   core --target DIR [--base user/pkg/base/VERSION] [--init-ram SIZE]
 *        [--init-caps N] [--log-limit SIZE] [--exit-with-init]
 *
 * The main thread only starts things and waits for one of the ends; all
 * state changes, the tear-down included, happen on the entrypoint.
 */
#include "archive_name.h"
#include "base_boot.h"
#include "init_parent.h"
#include "on_entrypoint.h"
#include "services.h"
#include "target.h"

#include <runtime/arg_string.h>
#include <runtime/str.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define INIT_MODULE "init"

struct options {
	const char *target;
	const char *base; /* a pkg archive name, or NULL */
	uint64_t init_ram;
	uint64_t init_caps;
	uint64_t log_limit;
	uint64_t module_limit;
	int exit_with_init;
};

struct core {
	struct target target;
	entrypoint_t *ep;
	struct core_services services;
	struct init_parent parent;
	int parent_up;
	entrypoint_signal_t shutdown;
	kcap_t shutdown_cap;
	int ended[2]; /* pipe: init ended / torn down */
	int exit_with_init;
	int init_code;
};

static const char usage_text[] =
	"usage: core --target DIR [--base USER/pkg/NAME/VERSION] [--init-ram SIZE]\n"
	"            [--init-caps N] [--log-limit SIZE] [--module-limit SIZE]\n"
	"            [--exit-with-init]\n"
	"\n"
	"Boots a system on the target directory DIR: serves the core services,\n"
	"starts boot module 'init' (DIR/boot/init) with DIR/config/init.config as\n"
	"its config, and runs until SIGINT or SIGTERM. Every component's log lines\n"
	"and output go to the terminal, labelled, and to DIR/log/<component>.log.\n"
	"\n"
	"DIR holds:  boot/    the boot modules (ELF binaries, read-only ROMs);\n"
	"                     optional with --base\n"
	"            config/  config ROMs; a replaced file is a new version\n"
	"            depot/   optional: installed archives, as 'depot --depot\n"
	"                     DIR/depot download' installs them\n"
	"            log/     made by core: one log file per top-level component\n"
	"            report/  made by core: reports of the Report service\n"
	"\n"
	"options:\n"
	"  --target DIR      the target directory (required)\n"
	"  --base PKG        boot from DIR/depot/: start init from the file 'init'\n"
	"                    of USER/bin/" ARCHIVE_ARCH
	"/init/V, where USER/src/init/V\n"
	"                    is listed in the archives file of pkg PKG (e.g.\n"
	"                    project/pkg/base/2026-11-21i), not from boot/init;\n"
	"                    each file is checked against its archive's manifest\n"
	"  --init-ram SIZE   init's RAM quota, e.g. 64M (default 64M)\n"
	"  --init-caps N     init's capability quota (default 1000)\n"
	"  --log-limit SIZE  a log file is kept as <name>.log.1 once it holds SIZE\n"
	"                    bytes, and a new one begins; 0: no limit (default 16M)\n"
	"  --module-limit SIZE  a config or boot module larger than SIZE is not\n"
	"                    served (its ROM is unavailable, core says why;\n"
	"                    default 64M)\n"
	"  --exit-with-init  end when init ends, with init's exit code\n"
	"  --help            this text\n"
	"\n"
	"example:\n"
	"  core --target build/run-target --init-ram 128M\n"
	"\n"
	"example, booting from a depot (T/boot/ is not needed):\n"
	"  depot --depot T/depot download --mirror URL project/pkg/base/VERSION\n"
	"  core --target T --base project/pkg/base/VERSION\n";

static int usage(const char *why)
{
	fprintf(stderr, "core: %s\n%s", why, usage_text);
	return 2;
}

static int parse_size(const char *text, uint64_t *value)
{
	char args[64];
	if (str_format(args, sizeof(args), "v=%s", text) < 0)
		return -1;
	return arg_string_get_size(args, sizeof(args), "v", value) == ARG_OK
	               ? 0
	               : -1;
}

static int takes_value(const char *option)
{
	static const char *const valued[] = {
		"--target",    "--base",      "--init-ram",
		"--init-caps", "--log-limit", "--module-limit",
	};
	for (size_t i = 0; i < sizeof(valued) / sizeof(*valued); i++)
		if (strcmp(option, valued[i]) == 0)
			return 1;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	*o = (struct options){ .init_ram = 64ull << 20,
		               .init_caps = 1000,
		               .log_limit = TARGET_LOG_LIMIT_DEFAULT,
		               .module_limit = TARGET_MODULE_LIMIT_DEFAULT };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return -1; /* shown: nothing to run */
		}
		if (strcmp(a, "--exit-with-init") == 0) {
			o->exit_with_init = 1;
			continue;
		}
		if (!takes_value(a)) {
			fprintf(stderr, "core: unknown option '%s'\n%s", a,
			        usage_text);
			return 2;
		}
		if (!value)
			return usage("an option lacks its value");
		if (strcmp(a, "--target") == 0)
			o->target = value;
		else if (strcmp(a, "--base") == 0) {
			if (base_boot_pkg_ok(value) != 0)
				return usage(
					"--base needs a pkg archive name like "
					"project/pkg/base/2026-11-21i");
			o->base = value;
		} else if (strcmp(a, "--init-ram") == 0) {
			if (parse_size(value, &o->init_ram) != 0)
				return usage(
					"--init-ram needs a size like 64M");
		} else if (strcmp(a, "--init-caps") == 0) {
			if (parse_size(value, &o->init_caps) != 0)
				return usage("--init-caps needs a number");
		} else if (strcmp(a, "--log-limit") == 0) {
			if (parse_size(value, &o->log_limit) != 0)
				return usage(
					"--log-limit needs a size like 16M, or 0");
		} else if (strcmp(a, "--module-limit") == 0) {
			if (parse_size(value, &o->module_limit) != 0)
				return usage(
					"--module-limit needs a size like 64M");
		}
		i++;
	}
	return o->target ? 0 : usage("--target DIR is required");
}

static void notify_main(struct core *c)
{
	ssize_t ignored = write(c->ended[1], "x", 1);
	(void)ignored;
}

/* On the entrypoint, when init's domain ends. */
static void init_ended(void *arg, enum kpd_state state, int code)
{
	struct core *c = arg;
	c->init_code = state == KPD_EXITED ? code : 128 + code;
	/* init is gone: close every session it had, which ends the domains
	 * it started in PD sessions of its own and returns their quota */
	if (c->parent_up)
		init_parent_dissolve(&c->parent);
	c->parent_up = 0;
	if (c->exit_with_init)
		notify_main(c);
}

/* On the entrypoint: every session closed, every domain killed. */
static void tear_down(void *arg, uint32_t count)
{
	(void)count;
	struct core *c = arg;
	/* ending init closes its sessions: its state report must stay */
	report_service_keep_files(&c->services.report);
	if (c->parent_up)
		init_parent_dissolve(&c->parent);
	c->parent_up = 0;
	core_services_dissolve(&c->services);
	notify_main(c);
}

/* Reads init's image from boot/ or, with --base, from the depot; says
 * where from in from[from_size]. */
static int read_init_image(struct core *c, const struct options *o,
                           kcap_t *image, char *from, size_t from_size)
{
	if (o->base) {
		char err[1536];
		if (base_boot_image(&c->target, o->base, image, from, from_size,
		                    err, sizeof(err)) != 0) {
			target_logf(&c->target, "%s", err);
			return -1;
		}
		return 0;
	}
	size_t size;
	struct module_stamp stamp;
	int rc = target_read_module(&c->target, TARGET_IN_CONFIG_OR_BOOT,
	                            INIT_MODULE, image, &size, &stamp);
	if (rc == KERR_TOO_BIG) {
		target_logf(&c->target,
		            "boot module '%s' is %zu bytes, more than "
		            "--module-limit %llu",
		            INIT_MODULE, size,
		            (unsigned long long)c->target.module_limit);
		return -1;
	}
	if (rc != 0) {
		target_logf(&c->target, "no boot module '%s' in %s/boot",
		            INIT_MODULE, c->target.dir);
		return -1;
	}
	from[0] = '\0';
	return 0;
}

/* Reads the init image and starts init in its PD (init_parent.h). */
static int start_init(struct core *c, const struct options *o)
{
	kcap_t image;
	char from[ARCHIVE_NAME_MAX + 32];
	if (read_init_image(c, o, &image, from, sizeof(from)) != 0)
		return -1;
	int rc = init_parent_start(&c->parent, &c->services, image, o->init_ram,
	                           o->init_caps, from, init_ended, c);
	kcap_close(image);
	c->parent_up = rc == 0;
	return rc;
}

struct start_job {
	struct core *core;
	const struct options *options;
	int rc;
};

static void start_init_job(void *arg)
{
	struct start_job *job = arg;
	job->rc = start_init(job->core, job->options);
}

/* Waits for SIGINT/SIGTERM (blocked in every thread, read here) or for
 * the entrypoint's word that init ended. */
static void wait_for_end(struct core *c, int signal_fd)
{
	struct pollfd fds[2] = {
		{ .fd = signal_fd, .events = POLLIN },
		{ .fd = c->ended[0], .events = POLLIN },
	};
	while (poll(fds, 2, -1) < 0 && errno == EINTR)
		;
	if (fds[0].revents) {
		struct signalfd_siginfo info;
		if (read(signal_fd, &info, sizeof(info)) == sizeof(info))
			target_logf(&c->target, "%s: shutting down",
			            strsignal((int)info.ssi_signo));
	}
}

static int run(struct core *c, const struct options *o, int signal_fd)
{
	int rc = entrypoint_create(&c->ep, "core-ep");
	if (rc == 0)
		rc = core_services_init(&c->services, c->ep, &c->target);
	if (rc != 0) {
		target_logf(&c->target, "cannot start the services: %s",
		            kerr_str(rc));
		return 1;
	}
	c->shutdown_cap = KCAP_INVALID;
	struct start_job start = { .core = c, .options = o, .rc = -1 };
	if (entrypoint_manage_signal(c->ep, &c->shutdown, tear_down, c,
	                             &c->shutdown_cap) != 0 ||
	    on_entrypoint(c->ep, start_init_job, &start) != 0 ||
	    start.rc != 0) {
		if (c->parent_up)
			init_parent_dissolve(&c->parent);
		core_services_dissolve(&c->services);
		return 1;
	}
	wait_for_end(c, signal_fd);
	char byte;
	/* drain a pending "init ended", then ask for the tear-down */
	while (poll(&(struct pollfd){ .fd = c->ended[0], .events = POLLIN }, 1,
	            0) > 0 &&
	       read(c->ended[0], &byte, 1) == 1)
		;
	ksignal_submit(c->shutdown_cap, 1);
	while (read(c->ended[0], &byte, 1) < 0 && errno == EINTR)
		;
	entrypoint_dissolve_signal(&c->shutdown);
	kcap_close(c->shutdown_cap);
	entrypoint_destroy(c->ep);
	return c->exit_with_init ? c->init_code : 0;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = parse_options(argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc; /* -1: --help was shown */
	signal(SIGPIPE, SIG_IGN);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	/* before any thread starts, so that every thread inherits it */
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	int signal_fd = signalfd(-1, &stop, SFD_CLOEXEC);

	static struct core c; /* static: large, and lives as long as main */
	char err[512];
	if (signal_fd < 0 || pipe2(c.ended, O_CLOEXEC) != 0) {
		fprintf(stderr, "core: cannot set up signal handling\n");
		return 1;
	}
	if (target_open_with(&c.target, o.target,
	                     o.base ? TARGET_BOOT_OPTIONAL : 0, err,
	                     sizeof(err)) != 0) {
		fprintf(stderr, "core: %s\n", err);
		return 1;
	}
	c.target.log_limit = o.log_limit;
	c.target.module_limit = o.module_limit;
	c.exit_with_init = o.exit_with_init;
	rc = run(&c, &o, signal_fd);
	target_close(&c.target);
	close(signal_fd);
	return rc;
}
