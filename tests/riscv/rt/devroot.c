/*
 * A root task for the device tests of the riscv suite (issue 15 item 2):
 * it hosts core's real IRQ and IO_MEM services (core/irq_service.c,
 * core/io_mem_service.c, linked in unchanged) until core itself runs on
 * riscv, and otherwise stands in for core as tests/riscv/rt/core.c does:
 * a parent object per child (sessions PD, CPU and LOG of its own, IRQ and
 * IO_MEM opened at the services with root_component_open, exit), PD
 * (memory objects), CPU and LOG.
 *
 * Boot module 1 (the driver, pkg/uart) starts first; once it holds an IRQ
 * session the other boot modules (2..) start, so that they meet a held
 * interrupt and a held range, and the driver's first close waits until
 * they have ended (however fast the typed line comes). When every child
 * has ended the root ends, the machine with it, with module 1's exit
 * code. Every session request is logged with the service's answer and,
 * for a refusal, its reason.
 *
 * The other children's parent objects and the device services share one
 * entrypoint, so those parents call the services' root components on
 * their own thread (as core's parent for init does). The driver's parent
 * object has an entrypoint of its own, so that it can wait for the others
 * while they are served; it asks the services over their root interface.
 * PD, CPU and LOG are served on a fourth, so that a child's allocation
 * never waits for a session request.
 */
#include <runtime/container_of.h>
#include <runtime/entrypoint.h>
#include <kernel/pd.h>

#include "io_mem_service.h"
#include "irq_service.h"

#include "parent_rpc.h"
#include "root_rpc.h"
#include "standin.h"
#include "sys.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define CHILDREN   4
#define DEVICE_SESSIONS 4   /* per child */
#define FIRST_DEVICE STANDIN_FIRST_OTHER   /* after PD, CPU, LOG */

struct child {
	char name[16];
	unsigned module;
	rpc_object_t parent;
	kcap_t parent_cap;
	struct standin_basics basics;                    /* PD, CPU, LOG */
	struct root_component *service[DEVICE_SESSIONS]; /* NULL: free */
	kcap_t session[DEVICE_SESSIONS]; /* the driver's: copies of its own */
	kpd_t *pd_handle;
};

static struct child children[CHILDREN];
static unsigned child_count;
static atomic_bool others_started; /* set on the parents entrypoint */
static kcap_t exit_signal;
static struct irq_service irq;
static struct io_mem_service io_mem;

/* The boot module's name as the child's, "module N" when it has none. */
static int start(struct child *c)
{
	long image = sys_call2(SYS_BOOTMOD_MEM, c->module, 0);
	if (image < 0)
		return (int)image;
	const struct kpd_config config = {
		.name = c->name,
		.elf = { (int32_t)image },
		.caps = &c->parent_cap,
		.cap_count = 1,
		.ram_limit = 32u << 20,
		.exit_signal = exit_signal,
	};
	int rc = kpd_create(&c->pd_handle, &config);
	kcap_close(config.elf);
	printf("%s started: %s\n", c->name, kerr_str(rc));
	return rc;
}

/* --- parent ----------------------------------------------------------- */

static struct child *of_parent(rpc_object_t *self)
{
	return container_of(self, struct child, parent);
}

static struct root_component *device_service(const char *name)
{
	if (!strcmp(name, "IRQ"))
		return &irq.base;
	if (!strcmp(name, "IO_MEM"))
		return &io_mem.base;
	return NULL;
}

static void start_others(void)
{
	others_started = true;
	for (unsigned i = 1; i < child_count; i++)
		start(&children[i]);
}

/* The driver holds its sessions until the others have had their turn. */
static void wait_others(void)
{
	for (unsigned i = 1; i < child_count; i++)
		if (children[i].pd_handle)
			kpd_wait(children[i].pd_handle, -1);
}

static int session_op(rpc_object_t *self, const char *service, const char *args,
                      uint32_t *id)
{
	struct child *c = of_parent(self);
	if ((*id = standin_own_session(service)) != 0)
		return 0;
	struct root_component *svc = device_service(service);
	unsigned slot = 0;
	while (slot < DEVICE_SESSIONS && c->service[slot])
		slot++;
	if (!svc || slot == DEVICE_SESSIONS) {
		printf("%s: %s session refused: no such service here\n",
		       c->name, service);
		return PARENT_ERR_DENIED;
	}
	const char *why = NULL;
	int rc = c == &children[0]
	                 ? root_session(svc->cap, args, &c->session[slot])
	                 : root_component_open(svc, args, &c->session[slot],
	                                       &why);
	printf("%s: %s session (%s): %s\n", c->name, service, args,
	       rc ? (why ? why : "refused") : "made");
	if (rc)
		return PARENT_ERR_DENIED;
	c->service[slot] = svc;
	*id = FIRST_DEVICE + slot;
	if (c == &children[0] && svc == &irq.base && !others_started)
		start_others();
	return 0;
}

static int session_cap_op(rpc_object_t *self, uint32_t id, kcap_t *session)
{
	struct child *c = of_parent(self);
	if (standin_own_cap(&c->basics, id, session) == 0)
		return 0;
	if (id >= FIRST_DEVICE && id < FIRST_DEVICE + DEVICE_SESSIONS &&
	    c->service[id - FIRST_DEVICE]) {
		*session = c->session[id - FIRST_DEVICE];
		return 0;
	}
	return PARENT_ERR_UNKNOWN;
}

static int session_now_op(rpc_object_t *self, const char *service,
                          const char *args, uint32_t *id, kcap_t *session)
{
	int rc = session_op(self, service, args, id);
	return rc ? rc : session_cap_op(self, *id, session);
}

static int session_sigh_op(rpc_object_t *self, kcap_t signal)
{
	(void)self;
	(void)signal;
	return 0; /* every session is ready at once */
}

static int upgrade_op(rpc_object_t *self, uint32_t id, const char *args)
{
	(void)self;
	(void)id;
	(void)args;
	return 0; /* no quotas kept */
}

static int close_op(rpc_object_t *self, uint32_t id)
{
	struct child *c = of_parent(self);
	if (id >= 1 && id < FIRST_DEVICE)
		return 0;
	unsigned slot = id - FIRST_DEVICE;
	if (id < FIRST_DEVICE || slot >= DEVICE_SESSIONS || !c->service[slot])
		return PARENT_ERR_UNKNOWN;
	int rc;
	if (c == &children[0]) {
		wait_others();
		rc = root_close(c->service[slot]->cap, c->session[slot]);
		kcap_close(c->session[slot]);
	} else {
		rc = root_component_close(c->service[slot], c->session[slot]);
	}
	printf("%s: %s session closed: %s\n", c->name,
	       root_component_name(c->service[slot]),
	       rc ? rpc_strerror(&root_rpc, rc) : "done");
	c->service[slot] = NULL;
	return 0;
}

static int exit_op(rpc_object_t *self, int32_t code)
{
	printf("%s exits with code %d\n", of_parent(self)->name, (int)code);
	return 0;
}

static const struct parent_ops parent_ops = {
	.session_sigh = session_sigh_op,
	.session = session_op,
	.session_cap = session_cap_op,
	.session_now = session_now_op,
	.upgrade = upgrade_op,
	.close = close_op,
	.exit = exit_op,
};

/* --- start ------------------------------------------------------------------ */

static int serve(struct child *c, entrypoint_t *parents, entrypoint_t *services)
{
	int rc = parent_manage(parents, &c->parent, &parent_ops,
	                       &c->parent_cap);
	return rc ? rc : standin_basics_serve(&c->basics, c->name, services);
}

/* The children: one per boot module after the root's, at most CHILDREN. */
static void count_children(void)
{
	for (unsigned m = 1; m <= CHILDREN; m++) {
		long image = sys_call2(SYS_BOOTMOD_MEM, m, 0);
		if (image < 0)
			break;
		sys_cap_close(image);
		struct child *c = &children[child_count++];
		c->module = m;
		snprintf(c->name, sizeof c->name,
		         m == 1 ? "driver" : "module %u", m);
	}
}

/* Waits for every started child; module 1's code, 101 if it was killed. */
static int wait_all(void)
{
	int result = 101;
	for (unsigned i = 0; i < child_count; i++) {
		if (!children[i].pd_handle)
			continue;
		int code = -1;
		kpd_wait(children[i].pd_handle, -1);
		enum kpd_state st = kpd_state(children[i].pd_handle, &code);
		printf("%s %s with code %d\n", children[i].name,
		       st == KPD_EXITED ? "ended" : "was killed", code);
		if (i == 0 && st == KPD_EXITED)
			result = code;
	}
	return result;
}

int main(void)
{
	entrypoint_t *driver, *parents, *services;
	kwaitset_t *ws;
	ksignal_source_t *exits;
	count_children();
	int rc = child_count ? 0 : KERR_INVALID;
	rc = rc ? rc : kwaitset_create(&ws);
	rc = rc ? rc : ksignal_source_create(&exits, &exit_signal);
	rc = rc ? rc : kwaitset_add_signal(ws, exits, exits);
	rc = rc ? rc : entrypoint_create(&driver, "driver");
	rc = rc ? rc : entrypoint_create(&parents, "parents");
	rc = rc ? rc : entrypoint_create(&services, "services");
	rc = rc ? rc : irq_service_init(&irq, parents);
	rc = rc ? rc : io_mem_service_init(&io_mem, parents);
	for (unsigned i = 0; !rc && i < child_count; i++)
		rc = serve(&children[i], i ? parents : driver, services);
	rc = rc ? rc : start(&children[0]);
	if (rc) {
		printf("device root not started: %s\n", kerr_str(rc));
		return 100;
	}
	/* The driver may end before it holds an interrupt: start the rest
	 * then. */
	kpd_wait(children[0].pd_handle, -1);
	if (!others_started)
		start_others();
	return wait_all();
}
