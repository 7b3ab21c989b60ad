/*
 * The fake servers of the runtime/child tests (see fakes.h).
 */
#include "fakes.h"

#include <string.h>

#include <runtime/container_of.h>
#include <runtime/str.h>

/* --- PD ------------------------------------------------------------------ */

static int pd_transfer(rpc_object_t *self, kcap_t to, uint64_t ram,
                       uint64_t caps)
{
	struct fake_pd *from = container_of(self, struct fake_pd, obj);
	rpc_object_t *found;

	if (!entrypoint_lookup(self->ep, to, &found) || found->iface != &pd_rpc)
		return PD_ERR_NOT_OURS;
	if (ram > from->ram)
		return PD_ERR_OUT_OF_RAM;
	if (caps > from->caps)
		return PD_ERR_OUT_OF_CAPS;
	struct fake_pd *dest = container_of(found, struct fake_pd, obj);
	from->ram -= ram;
	from->caps -= caps;
	dest->ram += ram;
	dest->caps += caps;
	return 0;
}

static int pd_quota_op(rpc_object_t *self, uint64_t *ram_limit,
                       uint64_t *ram_used, uint64_t *cap_limit,
                       uint64_t *cap_used)
{
	struct fake_pd *pd = container_of(self, struct fake_pd, obj);

	*ram_limit = pd->ram;
	*cap_limit = pd->caps;
	*ram_used = *cap_used = 0;
	return 0;
}

static int pd_alloc_op(rpc_object_t *self, uint64_t size, kcap_t *ds)
{
	struct fake_pd *pd = container_of(self, struct fake_pd, obj);
	size_t pages;

	unsigned slot = 0;

	while (slot < FAKE_DATASPACES && kcap_valid(pd->allocated[slot]))
		slot++;
	if (slot == FAKE_DATASPACES || size > pd->ram ||
	    kmem_create((size_t)size, ds))
		return PD_ERR_OUT_OF_RAM;
	if (kmem_size(*ds, &pages) || pages > pd->ram) {
		kcap_close(*ds);
		return PD_ERR_OUT_OF_RAM;
	}
	pd->ram -= pages;
	pd->allocated[slot] =
		*ds; /* the reply carries a copy; free closes it */
	return 0;
}

static int pd_free_op(rpc_object_t *self, kcap_t ds)
{
	struct fake_pd *pd = container_of(self, struct fake_pd, obj);
	size_t size;

	for (unsigned slot = 0; slot < FAKE_DATASPACES; slot++) {
		if (!kcap_valid(pd->allocated[slot]) ||
		    !kcap_same_object(ds, pd->allocated[slot]))
			continue;
		if (kmem_size(ds, &size))
			return PD_ERR_NOT_OURS;
		pd->ram += size;
		kcap_close(pd->allocated[slot]);
		pd->allocated[slot] = KCAP_INVALID;
		return 0;
	}
	return PD_ERR_NOT_OURS;
}

static const struct pd_ops fake_pd_ops = {
	.alloc = pd_alloc_op,
	.free = pd_free_op,
	.transfer_quota = pd_transfer,
	.quota = pd_quota_op,
};

int fake_pd_start(struct fake_pd *pd, entrypoint_t *ep, uint64_t ram,
                  uint64_t caps)
{
	memset(pd, 0, sizeof(*pd));
	pd->ram = ram;
	pd->caps = caps;
	for (unsigned slot = 0; slot < FAKE_DATASPACES; slot++)
		pd->allocated[slot] = KCAP_INVALID;
	return pd_manage(ep, &pd->obj, &fake_pd_ops, &pd->cap);
}

void fake_pd_stop(struct fake_pd *pd)
{
	entrypoint_dissolve(&pd->obj);
	kcap_close(pd->cap);
	for (unsigned slot = 0; slot < FAKE_DATASPACES; slot++)
		kcap_close(pd->allocated[slot]);
}

/* --- LOG sessions and their root ----------------------------------------- */

static int log_write_op(rpc_object_t *self, const char *line)
{
	container_of(self, struct fake_log_session, obj)->lines++;
	return 0;
}

static const struct log_ops fake_log_ops = { .write = log_write_op };

static int cpu_bind_op(rpc_object_t *self, kcap_t pd)
{
	struct fake_cpu_session *s = container_of(self, struct fake_cpu_session,
	                                          obj);

	kcap_close(s->bound);
	s->bound = KCAP_INVALID;
	return kcap_copy(pd, &s->bound) ? RPC_ERR_SERVER : 0;
}

static int cpu_bind_refused_op(rpc_object_t *self, kcap_t pd)
{
	return CPU_ERR_DENIED;
}

static const struct cpu_ops fake_cpu_ops = { .bind_pd = cpu_bind_op };
static const struct cpu_ops refusing_cpu_ops = {
	.bind_pd = cpu_bind_refused_op
};

static int cpu_session(struct fake_root *root, kcap_t *session)
{
	for (unsigned i = 0; i < FAKE_SESSIONS; i++) {
		struct fake_cpu_session *s = &root->cpus[i];
		if (s->open)
			continue;
		s->bound = KCAP_INVALID;
		if (cpu_manage(root->obj.ep, &s->obj,
		               root->refuse_bind ? &refusing_cpu_ops
		                                 : &fake_cpu_ops,
		               &s->cap))
			return ROOT_ERR_DENIED;
		s->open = true;
		root->opened++;
		*session = s->cap;
		return 0;
	}
	return ROOT_ERR_DENIED;
}

static void cpu_session_close(struct fake_cpu_session *s)
{
	entrypoint_dissolve(&s->obj);
	kcap_close(s->cap);
	kcap_close(s->bound);
	s->bound = KCAP_INVALID;
	s->open = false;
}

static int root_session_op(rpc_object_t *self, const char *args,
                           kcap_t *session)
{
	struct fake_root *root = container_of(self, struct fake_root, obj);

	if (root->cpu)
		return cpu_session(root, session);

	for (unsigned i = 0; i < FAKE_SESSIONS; i++) {
		struct fake_log_session *s = &root->sessions[i];
		if (s->open)
			continue;
		if (log_manage(self->ep, &s->obj, &fake_log_ops, &s->cap))
			return ROOT_ERR_DENIED;
		s->open = true;
		root->opened++;
		str_copy(root->last_args, args, sizeof(root->last_args));
		*session = s->cap;
		return 0;
	}
	return ROOT_ERR_DENIED;
}

static struct fake_log_session *session_of(struct fake_root *root, kcap_t cap)
{
	rpc_object_t *found;

	if (!entrypoint_lookup(root->obj.ep, cap, &found) ||
	    found->iface != &log_rpc)
		return NULL;
	return container_of(found, struct fake_log_session, obj);
}

static int root_close_op(rpc_object_t *self, kcap_t session)
{
	struct fake_root *root = container_of(self, struct fake_root, obj);
	struct fake_log_session *s = session_of(root, session);
	rpc_object_t *found;

	if (root->cpu && entrypoint_lookup(self->ep, session, &found) &&
	    found->iface == &cpu_rpc) {
		cpu_session_close(container_of(found, struct fake_cpu_session,
		                               obj));
		root->closed++;
		return 0;
	}
	if (!s)
		return ROOT_ERR_UNKNOWN;
	entrypoint_dissolve(&s->obj);
	kcap_close(s->cap);
	s->open = false;
	root->closed++;
	return 0;
}

static int root_upgrade_op(rpc_object_t *self, kcap_t session, const char *args)
{
	struct fake_root *root = container_of(self, struct fake_root, obj);

	if (!session_of(root, session))
		return ROOT_ERR_UNKNOWN;
	root->upgrades++;
	return 0;
}

static const struct root_ops fake_root_ops = {
	.session = root_session_op,
	.close = root_close_op,
	.upgrade = root_upgrade_op,
};

int fake_root_start(struct fake_root *root, entrypoint_t *ep)
{
	memset(root, 0, sizeof(*root));
	root->ep = ep;
	return root_manage(ep, &root->obj, &fake_root_ops, &root->cap);
}

void fake_root_stop(struct fake_root *root)
{
	for (unsigned i = 0; i < FAKE_SESSIONS; i++) {
		if (root->cpus[i].open)
			cpu_session_close(&root->cpus[i]);
		if (!root->sessions[i].open)
			continue;
		entrypoint_dissolve(&root->sessions[i].obj);
		kcap_close(root->sessions[i].cap);
	}
	entrypoint_dissolve(&root->obj);
	kcap_close(root->cap);
}

/* --- host ------------------------------------------------------------------ */

static int host_session(void *ctx, const char *service, const char *args,
                        int timeout_ms, uint32_t *id, kcap_t *cap)
{
	struct fake_host *h = ctx;
	int status;

	if (h->next_id >= FAKE_SESSIONS)
		return PARENT_ERR_DENIED;
	status = root_session(h->root->cap, args, cap);
	if (status)
		return PARENT_ERR_DENIED;
	*id = h->next_id++;
	kcap_copy(*cap, &h->caps[*id]);
	h->opened++;
	return 0;
}

static int host_upgrade(void *ctx, uint32_t id, const char *args)
{
	struct fake_host *h = ctx;

	h->upgrades++;
	return root_upgrade(h->root->cap, h->caps[id], args);
}

static void host_close(void *ctx, uint32_t id)
{
	struct fake_host *h = ctx;

	if (id < FAKE_SESSIONS && kcap_valid(h->caps[id])) {
		root_close(h->root->cap, h->caps[id]);
		kcap_close(h->caps[id]);
		h->caps[id] = KCAP_INVALID;
	}
	h->closed++;
}

void fake_host_init(struct fake_host *h, struct fake_root *root, kcap_t pd)
{
	memset(h, 0, sizeof(*h));
	h->root = root;
	for (unsigned i = 0; i < FAKE_SESSIONS; i++)
		h->caps[i] = KCAP_INVALID;
	h->host.pd = pd;
	h->host.session = host_session;
	h->host.upgrade = host_upgrade;
	h->host.close = host_close;
	h->host.ctx = h;
}

void fake_host_fini(struct fake_host *h)
{
	for (unsigned i = 0; i < FAKE_SESSIONS; i++)
		kcap_close(h->caps[i]);
}
