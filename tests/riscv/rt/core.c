/*
 * A root task standing in for core on the riscv kernel (issue 15 item 2
 * until core itself runs here): it starts boot module 1 (a server
 * component) and, once that has announced its service, boot module 2 (a
 * client component), each with a parent object as kboot_cap(0), through
 * pd.h (kpd_create from the boot module as a memory object, an exit
 * signal for both), and
 * serves what libruntime's start-up asks of core: the parent interface
 * (sessions: PD, CPU and LOG of its own, other services forwarded to the
 * child that announced them; announce; exit), PD (RAM dataspaces as
 * memory objects), CPU (thread registration) and LOG (lines to the
 * console). When module 2 has ended it kills module 1, checks both
 * states and exit signals, and ends, the machine with it, with module 2's
 * exit code.
 *
 * Parent objects are served on one entrypoint and the session objects
 * on another, so that a server asked for a session (root.session, on the
 * parent entrypoint) can allocate its session's memory at its PD (on the
 * other) meanwhile. No quotas are kept: this is not core, only enough of
 * it for components to start (README.md).
 */
#include <runtime/container_of.h>
#include <runtime/entrypoint.h>
#include <kernel/pd.h>

#include "parent_rpc.h"
#include "root_rpc.h"
#include "standin.h"
#include "sys.h"

#include <stdio.h>
#include <string.h>

#define CHILDREN   2
#define FORWARDED  4     /* sessions at other children, per child */
#define FIRST_FORWARDED STANDIN_FIRST_OTHER   /* after PD, CPU, LOG */

struct child {
	const char *name;
	unsigned module;
	rpc_object_t parent;
	kcap_t parent_cap;
	struct standin_basics basics; /* PD, CPU, LOG */
	kcap_t sigh;                  /* session signal (a copy) */
	char service[PARENT_ANNOUNCE_SERVICE_MAX + 1];
	kcap_t root; /* what it announced */
	kcap_t forwarded[FORWARDED];
	struct child *server[FORWARDED];
	kpd_t *pd_handle;
};

static struct child children[CHILDREN] = {
	{ .name = "server", .module = 1 },
	{ .name = "client", .module = 2 },
};
static kcap_t exit_signal;

/* Starts the child's boot module in a domain of its own. */
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
	return rc;
}

/* --- parent ----------------------------------------------------------- */

static struct child *of_parent(rpc_object_t *self)
{
	return container_of(self, struct child, parent);
}

static int session_sigh_op(rpc_object_t *self, kcap_t signal)
{
	struct child *c = of_parent(self);
	kcap_close(c->sigh);
	c->sigh = KCAP_INVALID;
	return kcap_valid(signal) ? kcap_copy(signal, &c->sigh) : 0;
}

static struct child *announcer(const char *service)
{
	for (unsigned i = 0; i < CHILDREN; i++)
		if (kcap_valid(children[i].root) &&
		    !strcmp(children[i].service, service))
			return &children[i];
	return NULL;
}

/* Own sessions are there at once; another service's session is asked of
 * its server here, so session_cap() finds it done. */
static int session_op(rpc_object_t *self, const char *service, const char *args,
                      uint32_t *id)
{
	struct child *c = of_parent(self);
	if ((*id = standin_own_session(service)) != 0)
		return 0;
	struct child *server = announcer(service);
	unsigned slot = 0;
	while (slot < FORWARDED && c->server[slot])
		slot++;
	if (!server || slot == FORWARDED)
		return PARENT_ERR_DENIED;
	int rc = root_session(server->root, args, &c->forwarded[slot]);
	printf("%s: %s session at %s: %s\n", c->name, service, server->name,
	       rc ? rpc_strerror(&root_rpc, rc) : "made");
	if (rc)
		return PARENT_ERR_DENIED;
	c->server[slot] = server;
	*id = FIRST_FORWARDED + slot;
	return 0;
}

static int session_cap_op(rpc_object_t *self, uint32_t id, kcap_t *session)
{
	struct child *c = of_parent(self);
	if (standin_own_cap(&c->basics, id, session) == 0)
		return 0;
	if (id >= FIRST_FORWARDED && id < FIRST_FORWARDED + FORWARDED &&
	    c->server[id - FIRST_FORWARDED]) {
		*session = c->forwarded[id - FIRST_FORWARDED];
		return 0;
	}
	return PARENT_ERR_UNKNOWN;
}

/* Every session is ready at once here: its id and capability together. */
static int session_now_op(rpc_object_t *self, const char *service,
                          const char *args, uint32_t *id, kcap_t *session)
{
	int rc = session_op(self, service, args, id);
	return rc ? rc : session_cap_op(self, *id, session);
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
	if (id >= 1 && id < FIRST_FORWARDED)
		return 0;
	unsigned slot = id - FIRST_FORWARDED;
	if (id < FIRST_FORWARDED || slot >= FORWARDED || !c->server[slot])
		return PARENT_ERR_UNKNOWN;
	int rc = root_close(c->server[slot]->root, c->forwarded[slot]);
	printf("%s: session %u closed: %s\n", c->name, id,
	       rc ? rpc_strerror(&root_rpc, rc) : "done");
	kcap_close(c->forwarded[slot]);
	c->server[slot] = NULL;
	return 0;
}

static int announce_op(rpc_object_t *self, const char *service, kcap_t root)
{
	struct child *c = of_parent(self);
	if (kcap_valid(c->root) || announcer(service))
		return PARENT_ERR_EXISTS;
	int rc = kcap_copy(root, &c->root);
	if (rc)
		return rc;
	snprintf(c->service, sizeof c->service, "%s", service);
	printf("%s announced %s\n", c->name, service);
	if (c == &children[0] && start(&children[1]))
		printf("the client could not be started\n");
	return 0;
}

static int exit_op(rpc_object_t *self, int32_t code)
{
	struct child *c = of_parent(self);
	printf("%s exits with code %d\n", c->name, (int)code);
	return 0;
}

/* Heartbeats, resource requests, downgrades and yields stay unimplemented:
 * the stand-in keeps no quotas and watches no liveness. */
static const struct parent_ops parent_ops = {
	.session_sigh = session_sigh_op,
	.session = session_op,
	.session_cap = session_cap_op,
	.session_now = session_now_op,
	.upgrade = upgrade_op,
	.close = close_op,
	.announce = announce_op,
	.exit = exit_op,
};

/* --- start ------------------------------------------------------------------ */

static int serve(struct child *c, entrypoint_t *parents, entrypoint_t *services)
{
	c->sigh = c->root = KCAP_INVALID;
	int rc = parent_manage(parents, &c->parent, &parent_ops,
	                       &c->parent_cap);
	return rc ? rc : standin_basics_serve(&c->basics, c->name, services);
}

static const char *state_name(enum kpd_state s)
{
	return s == KPD_RUNNING  ? "running"
	       : s == KPD_EXITED ? "exited"
	                         : "killed";
}

int main(void)
{
	entrypoint_t *parents, *services;
	kwaitset_t *ws;
	ksignal_source_t *exits;
	int rc = kwaitset_create(&ws);
	rc = rc ? rc : ksignal_source_create(&exits, &exit_signal);
	rc = rc ? rc : kwaitset_add_signal(ws, exits, exits);
	rc = rc ? rc : entrypoint_create(&parents, "parents");
	rc = rc ? rc : entrypoint_create(&services, "services");
	for (unsigned i = 0; !rc && i < CHILDREN; i++)
		rc = serve(&children[i], parents, services);
	rc = rc ? rc : start(&children[0]);
	if (rc) {
		printf("core stand-in not started: %s\n", kerr_str(rc));
		return 100;
	}
	/* The client is started once the server announced (announce_op). */
	while (!children[1].pd_handle)
		sys_call2(SYS_YIELD, 0, 0);
	int code = -1;
	rc = kpd_wait(children[1].pd_handle, -1);
	enum kpd_state client = kpd_state(children[1].pd_handle, &code);
	printf("client: %s with code %d\n", state_name(client), code);
	int server_code = 0;
	kpd_kill(children[0].pd_handle);
	rc = rc ? rc : kpd_wait(children[0].pd_handle, 1000);
	printf("server: %s after kpd_kill\n",
	       state_name(kpd_state(children[0].pd_handle, &server_code)));
	unsigned count = 0;
	kevent_t ev;
	static kmsg_t unused;
	while (kwaitset_wait(ws, &ev, &unused, 0) == 0)
		count += ev.count;
	printf("exit signals: %u\n", count);
	kpd_destroy(children[0].pd_handle);
	kpd_destroy(children[1].pd_handle);
	return rc == 0 && client == KPD_EXITED ? code : 101;
}
