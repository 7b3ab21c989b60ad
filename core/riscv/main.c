/*
 * core on riscv: boot module 0 of the boot image, the root domain of the
 * riscv kernel. It serves the core services (the shared PD, ROM, RM, CPU
 * and LOG, and this platform's in core/riscv/platform.c) on one
 * entrypoint, starts boot module "init" (or, with `--base PKG` in
 * core.args, init's bin archive of pkg PKG among the image's depot
 * archives, base_boot.h) as its first child with
 * boot module "init.config" as its "config" ROM, exactly as linux's core
 * does (init_parent.h), and ends when init ends: every domain is ended,
 * every session closed, and core exits with init's exit code, which the
 * kernel hands to QEMU (kernel/riscv/finisher.h); 127 if init was killed
 * (core's log says by which exception): as linux core --exit-with-init,
 * which boot module core.args may leave out (boot_options.h), and then
 * core serves on without init until the machine is stopped. init's quota
 * is what the machine has left once core runs (init_quota below).
 *
 * The host stops core with a stop frame on the control channel
 * (control_stop.h), as SIGTERM stops linux core: init and every other
 * domain ended, every session closed, the reports the host holds kept
 * (no `unreport` frame: linux keeps DIR/report/ on SIGTERM), and core
 * exits 0, as linux core does after SIGTERM.
 *
 * The main thread only starts things and waits; every state change, the
 * tear-down included, happens on the entrypoint.
 */
#include "base_boot.h"
#include "boot_options.h"
#include "control.h"
#include "host_frames.h"
#include "net_ports.h"
#include "init_parent.h"
#include "on_entrypoint.h"
#include "services.h"

#include "sys.h"
#include "../../kernel/riscv/abi.h"

#include <runtime/semaphore.h>

#define INIT_MODULE "init"
/* What core keeps back of what the kernel has left when init starts; the
 * rest is init's quota. RAM: the frames the kernel takes later for core
 * itself and for no quota (its threads' IPC buffers, the frame listing
 * each memory object, the page tables of every mapping). Capability
 * slots: core's own objects beside the session objects and dataspaces
 * that quotas pay for (an exit signal per domain, its services'). */
#define CORE_RAM_RESERVE   ((uint64_t)4 << 20)
#define CORE_SLOT_RESERVE  64u
#define INIT_KILLED_CODE 127

struct core {
	struct target target;
	entrypoint_t *ep;
	struct core_services services;
	struct init_parent parent;
	int parent_up;
	struct boot_options options;
	struct semaphore ended; /* init ended */
	struct semaphore stop;  /* never up: without --exit-with-init only a
	                         * stop frame ends the channel */
	int init_code;
	int start_rc;
};

/* On the entrypoint, when init's domain ends: its sessions close, which
 * ends the domains it started in PD sessions of its own. */
static void init_ended(void *arg, enum kpd_state state, int code)
{
	struct core *c = arg;
	c->init_code = state == KPD_EXITED ? code : INIT_KILLED_CODE;
	if (c->parent_up)
		init_parent_dissolve(&c->parent);
	c->parent_up = 0;
	semaphore_up(&c->ended);
}

/* init's quota, as a machine that boots a whole system gives its first
 * child: what the kernel has left, free frames and free slots of core's
 * capability space (every session object and dataspace a capability
 * quota pays for is core's slot), less core's reserve. 0, or -1 with the
 * reason in core's log. `--init-ram` and `--init-caps` in core.args
 * (boot_options.h) replace either, as on linux. */
static int init_quota(struct core *c, uint64_t *ram, uint64_t *caps)
{
	if (c->options.init_ram && c->options.init_caps) {
		*ram = c->options.init_ram;
		*caps = c->options.init_caps;
		return 0;
	}
	long free_ram = sys_call2(SYS_KERNEL_FREE, KERNEL_FREE_RAM, 0);
	long free_slots = sys_call2(SYS_KERNEL_FREE, KERNEL_FREE_SLOTS, 0);
	if (free_ram < 0 || free_slots < 0 ||
	    (uint64_t)free_ram <= CORE_RAM_RESERVE ||
	    (uint64_t)free_slots <= CORE_SLOT_RESERVE) {
		target_logf(
			&c->target,
			"the kernel has too little left for init: %ld bytes "
			"of RAM, %ld capability slots",
			free_ram, free_slots);
		return -1;
	}
	*ram = c->options.init_ram ? c->options.init_ram
	                           : (uint64_t)free_ram - CORE_RAM_RESERVE;
	*caps = c->options.init_caps ? c->options.init_caps
	                             : (uint64_t)free_slots - CORE_SLOT_RESERVE;
	target_logf(&c->target,
	            "init's quota: what the kernel has left (%ld bytes of RAM, "
	            "%ld capability slots) less core's reserve (%llu, %u)",
	            free_ram, free_slots, (unsigned long long)CORE_RAM_RESERVE,
	            CORE_SLOT_RESERVE);
	return 0;
}

/* Reads init's image from boot module "init" or, with --base in
 * core.args, from the depot archives of the image as linux core reads
 * them from DIR/depot (base_boot.h); says where from in from[]. */
static int read_init_image(struct core *c, kcap_t *image,
                           char from[ARCHIVE_NAME_MAX + 32])
{
	size_t size;
	struct module_stamp stamp;
	from[0] = '\0';
	if (c->options.base[0]) {
		char err[1024];
		if (base_boot_image(&c->target, c->options.base, image, from,
		                    ARCHIVE_NAME_MAX + 32, err,
		                    sizeof(err)) != 0) {
			target_logf(&c->target, "%s", err);
			return -1;
		}
		return 0;
	}
	if (target_read_module(&c->target, TARGET_IN_BOOT, INIT_MODULE, image,
	                       &size, &stamp) != 0) {
		target_logf(&c->target, "no boot module '%s' in the boot image",
		            INIT_MODULE);
		return -1;
	}
	return 0;
}

static void start_init(void *arg)
{
	struct core *c = arg;
	kcap_t image;
	char from[ARCHIVE_NAME_MAX + 32];
	uint64_t ram, caps;
	c->start_rc = -1;
	/* the image first: a start refused for it says only why */
	if (read_init_image(c, &image, from) != 0)
		return;
	if (init_quota(c, &ram, &caps) != 0) {
		kcap_close(image);
		return;
	}
	c->start_rc = init_parent_start(&c->parent, &c->services, image, ram,
	                                caps, from, init_ended, c);
	c->parent_up = c->start_rc == 0;
	kcap_close(image);
}

static void tear_down(void *arg)
{
	struct core *c = arg;
	/* ending init closes its sessions: the reports the host holds stay,
	 * as linux core keeps DIR/report/ */
	report_service_keep_files(&c->services.report);
	if (c->parent_up)
		init_parent_dissolve(&c->parent);
	c->parent_up = 0;
	core_services_dissolve(&c->services);
}

int main(void)
{
	static struct core c; /* static: large, and lives as long as main */
	char why[160];
	semaphore_init(&c.ended, 0);
	semaphore_init(&c.stop, 0);
	host_frames_start(); /* the frames' virtio console, before any output */
	if (target_open_boot(&c.target) != 0)
		return 1; /* a boot image breaking its rules: logged */
	net_ports_start();
	if (boot_options_read(&c.target, &c.options, why, sizeof(why)) != 0) {
		target_logf(&c.target, "%s: %s", BOOT_OPTIONS_MODULE, why);
		boot_options_teach(&c.target, 0);
		return 2; /* as linux core for a bad command line */
	}
	if (c.options.help) {
		boot_options_teach(&c.target, 1);
		return 0; /* as linux core --help: shown, nothing to run */
	}
	int rc = entrypoint_create(&c.ep, "core-ep");
	if (rc == 0)
		rc = core_services_init(&c.services, c.ep, &c.target);
	if (rc != 0) {
		target_logf(&c.target, "cannot start the services: %s",
		            kerr_str(rc));
		return 1;
	}
	if (on_entrypoint(c.ep, start_init, &c) != 0 || c.start_rc != 0) {
		on_entrypoint(c.ep, tear_down, &c);
		return 1;
	}
	/* the main thread serves the control channel until a stop frame
	 * came, or init ended with --exit-with-init (without it core goes
	 * on without init, as on linux) */
	struct semaphore *until = c.options.exit_with_init ? &c.ended : &c.stop;
	enum control_end end = control_serve(c.services.rom.watch, until);
	on_entrypoint(c.ep, tear_down, &c);
	entrypoint_destroy(c.ep);
	if (end == CONTROL_STOP_REQUESTED) {
		/* linux core's code after SIGTERM: init had not ended (the
		 * channel would have ended first), or core was not to end
		 * with it */
		target_logf(&c.target, "stopped: every domain ended, core "
		                       "ends with code 0");
		return 0;
	}
	target_logf(&c.target, "init ended: core ends with code %d",
	            c.init_code);
	return c.init_code;
}
