/*
 * Core's CPU service (cpu_service.h). The session remembers its PD by
 * capability, not by pointer, and looks it up on every use, so a closed
 * PD session leaves the CPU session unbound instead of dangling.
 */
#include "cpu_service.h"

#include "cpu_rpc.h"
#include "root_rpc.h"

#include <string.h>

#define CPU_THREADS_MAX 64u

struct cpu_thread {
	int used;
	uint32_t native_id;
};

struct cpu_session {
	struct root_session base; /* first member */
	struct cpu_service *service;
	kcap_t pd; /* copy of the bound PD session's cap */
	unsigned thread_limit;
	struct cpu_thread threads[CPU_THREADS_MAX];
};

static struct cpu_session *session_of(rpc_object_t *self)
{
	return (struct cpu_session *)self;
}

/* The running domain the session is bound to, or NULL. */
static kpd_t *bound_domain(struct cpu_session *c)
{
	if (!kcap_valid(c->pd))
		return NULL;
	struct pd_session *pd = pd_service_lookup(c->service->pds, c->pd);
	return pd ? pd_session_domain(pd) : NULL;
}

static int op_affinity_space(rpc_object_t *self, uint32_t *cpus)
{
	(void)self;
	*cpus = core_platform_cpus();
	return 0;
}

static int op_thread_register(rpc_object_t *self, const char *name,
                              uint32_t native_id, uint32_t *id)
{
	(void)name; /* for the client's diagnostics; core keeps the id */
	struct cpu_session *c = session_of(self);
	kpd_t *domain = bound_domain(c);
	if (!domain || kpd_thread_check(domain, native_id) != 0)
		return CPU_ERR_NOT_OURS;
	for (unsigned i = 0; i < c->thread_limit; i++) {
		if (c->threads[i].used)
			continue;
		c->threads[i].used = 1;
		c->threads[i].native_id = native_id;
		*id = i;
		return 0;
	}
	return CPU_ERR_OUT_OF_THREADS;
}

static struct cpu_thread *thread_of(struct cpu_session *c, uint32_t id)
{
	return id < c->thread_limit && c->threads[id].used ? &c->threads[id]
	                                                   : NULL;
}

static int kerr_to_cpu_error(int rc)
{
	if (rc == 0)
		return 0;
	return rc == KERR_DENIED ? CPU_ERR_DENIED : CPU_ERR_NOT_OURS;
}

static int op_thread_affinity(rpc_object_t *self, uint32_t id, uint32_t cpu)
{
	struct cpu_session *c = session_of(self);
	struct cpu_thread *t = thread_of(c, id);
	kpd_t *domain = bound_domain(c);
	if (!t)
		return CPU_ERR_UNKNOWN;
	if (!domain)
		return CPU_ERR_NOT_OURS;
	if (cpu >= core_platform_cpus())
		return CPU_ERR_DENIED;
	return kerr_to_cpu_error(kpd_thread_affinity(domain, t->native_id,
	                                             cpu));
}

static int op_thread_priority(rpc_object_t *self, uint32_t id, int32_t priority)
{
	struct cpu_session *c = session_of(self);
	struct cpu_thread *t = thread_of(c, id);
	kpd_t *domain = bound_domain(c);
	if (!t)
		return CPU_ERR_UNKNOWN;
	if (!domain)
		return CPU_ERR_NOT_OURS;
	if (priority < -20 || priority > 19)
		return CPU_ERR_DENIED;
	return kerr_to_cpu_error(kpd_thread_priority(domain, t->native_id,
	                                             priority));
}

static int op_thread_unregister(rpc_object_t *self, uint32_t id)
{
	struct cpu_thread *t = thread_of(session_of(self), id);
	if (!t)
		return CPU_ERR_UNKNOWN;
	memset(t, 0, sizeof(*t));
	return 0;
}

static int bind(struct cpu_session *c, kcap_t pd_cap)
{
	kcap_t copy;
	if (!pd_service_lookup(c->service->pds, pd_cap) ||
	    kcap_copy(pd_cap, &copy) != 0)
		return CPU_ERR_NOT_OURS;
	kcap_close(c->pd);
	c->pd = copy;
	return 0;
}

static int op_bind_pd(rpc_object_t *self, kcap_t pd)
{
	return bind(session_of(self), pd);
}

static const struct cpu_ops cpu_ops = {
	.affinity_space = op_affinity_space,
	.thread_register = op_thread_register,
	.thread_affinity = op_thread_affinity,
	.thread_priority = op_thread_priority,
	.thread_unregister = op_thread_unregister,
	.bind_pd = op_bind_pd,
};

static int cpu_create(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	(void)raw_args;
	(void)why;
	struct cpu_session *c = (struct cpu_session *)base;
	c->service = (struct cpu_service *)root;
	c->pd = KCAP_INVALID;
	c->thread_limit = args->cap_quota < CPU_THREADS_MAX
	                          ? (unsigned)args->cap_quota
	                          : CPU_THREADS_MAX;
	return 0;
}

static struct cpu_session *cpu_lookup(struct root_component *svc, kcap_t cap)
{
	return (struct cpu_session *)root_component_lookup(svc, cap);
}

static int cpu_upgrade(struct root_component *svc, struct root_session *base,
                       uint64_t ram, uint64_t caps)
{
	(void)svc;
	(void)ram;
	struct cpu_session *c = (struct cpu_session *)base;
	uint64_t limit = c->thread_limit + caps;
	c->thread_limit = limit < CPU_THREADS_MAX ? (unsigned)limit
	                                          : CPU_THREADS_MAX;
	return 0;
}

static void cpu_destroy(struct root_component *svc, struct root_session *base)
{
	(void)svc;
	kcap_close(((struct cpu_session *)base)->pd);
}

static const struct root_component_ops ops = {
	.create = cpu_create,
	.upgrade = cpu_upgrade,
	.destroy = cpu_destroy,
};

int cpu_service_bind(struct cpu_service *s, kcap_t cap, struct pd_session *pd)
{
	struct cpu_session *c = cpu_lookup(&s->base, cap);
	if (!c)
		return ROOT_ERR_UNKNOWN;
	return bind(c, pd_session_cap(pd)) == 0 ? 0 : ROOT_ERR_UNKNOWN;
}

int cpu_service_init(struct cpu_service *s, entrypoint_t *ep,
                     struct pd_service *pds)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("CPU"),
		.iface = &cpu_rpc,
		.session_ops = &cpu_ops,
		ROOT_SESSION_LAYOUT(struct cpu_session, base),
		.ops = &ops,
	};
	s->pds = pds;
	return root_component_init(&s->base, ep, &config);
}

void cpu_service_dissolve(struct cpu_service *s)
{
	root_component_dissolve(&s->base);
}
