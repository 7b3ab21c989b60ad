/*
 * core on riscv: boot module 0 of the boot image, the root domain of the
 * riscv kernel. It serves the core services (the shared PD, ROM, RM, CPU
 * and LOG, and this platform's in core/riscv/platform.c) on one
 * entrypoint, starts boot module "init" as its first child with
 * boot module "init.config" as its "config" ROM, exactly as linux's core
 * does (init_parent.h), and ends when init ends: every domain is ended,
 * every session closed, and core exits with init's exit code, which the
 * kernel hands to QEMU (kernel/riscv/finisher.h); 127 if init was killed
 * (core's log says by which exception). Nothing to parse: the boot image
 * is the whole configuration (RISCV_INIT_RAM/_CAPS below).
 *
 * The main thread only starts things and waits; every state change, the
 * tear-down included, happens on the entrypoint.
 */
#include "control.h"
#include "init_parent.h"
#include "on_entrypoint.h"
#include "services.h"

#include <runtime/semaphore.h>

#define INIT_MODULE "init"
/* init's quota, which the kernel's limit of it follows (core_platform.h);
 * what the machine has is 128 MiB of frames for every domain. */
#define RISCV_INIT_RAM  ((uint64_t)48 << 20)
#define RISCV_INIT_CAPS 500u
#define INIT_KILLED_CODE 127

struct core {
	struct target target;
	entrypoint_t *ep;
	struct core_services services;
	struct init_parent parent;
	int parent_up;
	struct semaphore ended; /* init ended */
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

static void start_init(void *arg)
{
	struct core *c = arg;
	kcap_t image;
	size_t size;
	struct module_stamp stamp;
	c->start_rc = -1;
	if (target_read_module(&c->target, TARGET_IN_BOOT, INIT_MODULE, &image,
	                       &size, &stamp) != 0) {
		target_logf(&c->target, "no boot module '%s' in the boot image",
		            INIT_MODULE);
		return;
	}
	c->start_rc = init_parent_start(&c->parent, &c->services, image,
	                                RISCV_INIT_RAM, RISCV_INIT_CAPS, "",
	                                init_ended, c);
	c->parent_up = c->start_rc == 0;
	kcap_close(image);
}

static void tear_down(void *arg)
{
	struct core *c = arg;
	if (c->parent_up)
		init_parent_dissolve(&c->parent);
	c->parent_up = 0;
	core_services_dissolve(&c->services);
}

int main(void)
{
	static struct core c; /* static: large, and lives as long as main */
	semaphore_init(&c.ended, 0);
	if (target_open_boot(&c.target) != 0)
		return 1; /* a boot image breaking its rules: logged */
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
	/* the main thread serves the control channel until init ended */
	control_serve(c.services.rom.watch, &c.ended, &c.services.irq);
	on_entrypoint(c.ep, tear_down, &c);
	entrypoint_destroy(c.ep);
	target_logf(&c.target, "init ended: core ends with code %d",
	            c.init_code);
	return c.init_code;
}
