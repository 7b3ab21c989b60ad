/*
 * Core's PD service (pd_service.h): quota pools, RAM dataspaces, quota
 * transfer, and protection domains started from ELF ROM dataspaces. Every
 * operation runs on core's entrypoint; the end of a domain arrives there
 * too, as the domain's exit signal. What domains write to stdout and
 * stderr is read on a thread of its own (domain_output.h).
 */
#include "pd_service.h"

#include "pd_rpc.h"
#include "root_rpc.h"

#include <runtime/fault_words.h>
#include <runtime/invariant.h>
#include <runtime/str.h>

#include <stdlib.h>
#include <string.h>

struct ram_ds {
	struct ram_ds *next;
	kcap_t mem;
	uint64_t size;
};

struct pd_session {
	struct root_session base; /* first member */
	struct pd_service *service;
	char label[SESSION_LABEL_MAX];
	uint64_t ram_limit, ram_used, cap_limit, cap_used;
	struct ram_ds *dataspaces;
	kpd_t *domain;
	int started;
	entrypoint_signal_t exit_signal;
	kcap_t exit_signal_cap; /* submits to exit_signal */
	kcap_t exit_sigh;       /* the client's, a copy */
	uint32_t exit_kind;     /* 0 running, 1 exited, 2 killed */
	uint64_t life_id;       /* core_platform_domain_created's; 0 once
	                           its end was told */
	int32_t exit_code;
	void (*on_exit)(void *arg, enum kpd_state state, int code);
	void *on_exit_arg;
};

static struct pd_session *session_of(rpc_object_t *self)
{
	return (struct pd_session *)self;
}

/* For INVARIANT: the pool's invariant (pd_service.h): nothing used past
 * the limits, and the dataspaces (a walk) within what is used. */
static bool pool_ok(const struct pd_session *session)
{
	uint64_t ds_bytes = 0, ds_count = 0;
	for (const struct ram_ds *ds = session->dataspaces; ds; ds = ds->next) {
		ds_bytes += ds->size;
		ds_count++;
	}
	return session->ram_used <= session->ram_limit &&
	       session->cap_used <= session->cap_limit &&
	       ds_bytes <= session->ram_used && ds_count <= session->cap_used;
}

/* Keeps the domain's private-memory limit equal to the pool's quota,
 * where the kernel has such a limit (core_platform.h); elsewhere the
 * pool's accounting of dataspaces is the bound. */
static void sync_ram_limit(struct pd_session *session)
{
	if (!CORE_KERNEL_RAM_LIMIT || !session->domain ||
	    session->exit_kind != 0)
		return;
	int rc = kpd_set_ram_limit(session->domain, session->ram_limit);
	if (rc != 0 && rc != KERR_REVOKED)
		target_logf(
			session->service->target,
			"cannot set the memory limit of '%s' to %llu bytes: %s",
			session->label, (unsigned long long)session->ram_limit,
			kerr_str(rc));
}

int pd_session_withdraw(struct pd_session *session, uint64_t ram, uint64_t caps)
{
	if (ram > session->ram_limit - session->ram_used)
		return PD_ERR_OUT_OF_RAM;
	if (caps > session->cap_limit - session->cap_used)
		return PD_ERR_OUT_OF_CAPS;
	session->ram_used += ram;
	session->cap_used += caps;
	INVARIANT(pool_ok(session));
	return 0;
}

void pd_session_deposit(struct pd_session *session, uint64_t ram, uint64_t caps)
{
	session->ram_used -= ram < session->ram_used ? ram : session->ram_used;
	session->cap_used -= caps < session->cap_used ? caps
	                                              : session->cap_used;
	INVARIANT(pool_ok(session));
}

/* --- RAM dataspaces ---------------------------------------------------- */

static int op_alloc(rpc_object_t *self, uint64_t size, kcap_t *dataspace)
{
	struct pd_session *session = session_of(self);
	size_t page = kpage_size();
	if (size == 0 || size > SIZE_MAX - page)
		return PD_ERR_INVALID;
	uint64_t rounded = (size + page - 1) / page * page;
	int rc = pd_session_withdraw(session, rounded, 1);
	if (rc != 0)
		return rc;
	struct ram_ds *ds = calloc(1, sizeof(*ds));
	/* committed by core: the pages are charged to core, which the
	 * quota paid, not to the domain's memory cgroup (kmem_commit) */
	int created = ds && kmem_create((size_t)rounded, &ds->mem) == 0;
	if (!created || kmem_commit(ds->mem) != 0) {
		if (created)
			kcap_close(ds->mem);
		free(ds);
		pd_session_deposit(session, rounded, 1);
		return PD_ERR_OUT_OF_RAM;
	}
	ds->size = rounded;
	ds->next = session->dataspaces;
	session->dataspaces = ds;
	INVARIANT(pool_ok(session));
	*dataspace = ds->mem;
	return 0;
}

static int op_free(rpc_object_t *self, kcap_t dataspace)
{
	struct pd_session *session = session_of(self);
	for (struct ram_ds **at = &session->dataspaces; *at;
	     at = &(*at)->next) {
		struct ram_ds *ds = *at;
		if (kcap_same_object(ds->mem, dataspace) == 1) {
			*at = ds->next;
			pd_session_deposit(session, ds->size, 1);
			kcap_close(ds->mem);
			free(ds);
			return 0;
		}
	}
	return PD_ERR_NOT_OURS;
}

/* --- quota ------------------------------------------------------------- */

static int op_transfer_quota(rpc_object_t *self, kcap_t to, uint64_t ram,
                             uint64_t caps)
{
	struct pd_session *from = session_of(self);
	struct pd_session *dest = pd_service_lookup(from->service, to);
	if (!dest)
		return PD_ERR_NOT_OURS;
	if (dest == from)
		return 0;
	if (ram > from->ram_limit - from->ram_used)
		return PD_ERR_OUT_OF_RAM;
	if (caps > from->cap_limit - from->cap_used)
		return PD_ERR_OUT_OF_CAPS;
	if (dest->ram_limit > UINT64_MAX - ram ||
	    dest->cap_limit > UINT64_MAX - caps)
		return PD_ERR_INVALID;
	from->ram_limit -= ram;
	from->cap_limit -= caps;
	dest->ram_limit += ram;
	dest->cap_limit += caps;
	INVARIANT(pool_ok(from) && pool_ok(dest));
	/* lower the giver first, so the two never hold more than before */
	sync_ram_limit(from);
	sync_ram_limit(dest);
	return 0;
}

static int op_quota(rpc_object_t *self, uint64_t *ram_limit, uint64_t *ram_used,
                    uint64_t *cap_limit, uint64_t *cap_used)
{
	struct pd_session *session = session_of(self);
	*ram_limit = session->ram_limit;
	*ram_used = session->ram_used;
	*cap_limit = session->cap_limit;
	*cap_used = session->cap_used;
	return 0;
}

/* --- the domain -------------------------------------------------------- */

static void report_end(struct pd_session *session, enum kpd_state state,
                       int code)
{
	struct target *t = session->service->target;
	char words[96];
	if (state == KPD_EXITED) {
		target_logf(t, "'%s' exited with code %d", session->label,
		            code);
		return;
	}
	fault_words(code, words, sizeof(words));
	if (session->domain && kpd_out_of_memory(session->domain))
		target_logf(t,
		            "'%s' was killed by %s: it used more memory than "
		            "its RAM quota allows",
		            session->label, words);
	else
		target_logf(t, "'%s' was killed by %s", session->label, words);
}

static void domain_ended(void *arg, uint32_t count)
{
	(void)count;
	struct pd_session *session = arg;
	int code = 0;
	enum kpd_state state = session->domain
	                               ? kpd_state(session->domain, &code)
	                               : KPD_RUNNING;
	if (state == KPD_RUNNING || session->exit_kind != 0)
		return;
	session->exit_kind = state == KPD_EXITED ? 1 : 2;
	session->exit_code = code;
	core_platform_domain_ended(session->life_id);
	session->life_id = 0;
	report_end(session, state, code);
	if (kcap_valid(session->exit_sigh))
		(void)ksignal_submit(session->exit_sigh, 1);
	if (session->on_exit)
		session->on_exit(session->on_exit_arg, state, code);
}

static const char *domain_name(const struct pd_session *session)
{
	const char *last = session_label_last(session->label);
	return last[0] ? last : "component";
}

int pd_session_start(struct pd_session *session, kcap_t elf, kcap_t parent)
{
	if (session->started)
		return PD_ERR_STARTED;
	size_t size;
	if (kcap_type(elf) != KCAP_TYPE_MEMORY || kmem_size(elf, &size) != 0)
		return PD_ERR_BAD_IMAGE;
	if (!kcap_valid(parent))
		return PD_ERR_INVALID;
	int rc = entrypoint_manage_signal(session->service->base.ep,
	                                  &session->exit_signal, domain_ended,
	                                  session, &session->exit_signal_cap);
	if (rc != 0)
		return PD_ERR_OUT_OF_CAPS;
	int streams[2] = { -1, -1 };
	rc = domain_output_open(session->service->output, session->label,
	                        streams);
	kcap_t out = { streams[0] }, err = { streams[1] };
	struct kpd_config config = {
		.name = domain_name(session),
		.elf = elf,
		.caps = &parent,
		.cap_count = 1,
		.ram_limit = (size_t)session->ram_limit,
		.exit_signal = session->exit_signal_cap,
		.stdout_stream = &out,
		.stderr_stream = &err,
	};
	if (rc == 0) {
		rc = kpd_create(&session->domain, &config);
		domain_output_handed_over(
			streams); /* the domain has its copies */
	}
	if (rc != 0) {
		entrypoint_dissolve_signal(&session->exit_signal);
		kcap_close(session->exit_signal_cap);
		session->exit_signal_cap = KCAP_INVALID;
		session->domain = NULL;
		return rc == KERR_NOMEM ? PD_ERR_OUT_OF_RAM : PD_ERR_BAD_IMAGE;
	}
	session->started = 1;
	session->life_id = core_platform_domain_created(session->label,
	                                                session->domain);
	return 0;
}

static int op_start(rpc_object_t *self, kcap_t elf, kcap_t parent)
{
	return pd_session_start(session_of(self), elf, parent);
}

static int op_exit_sigh(rpc_object_t *self, kcap_t signal)
{
	struct pd_session *session = session_of(self);
	kcap_t copy = KCAP_INVALID;
	if (kcap_valid(signal) && kcap_copy(signal, &copy) != 0)
		return PD_ERR_OUT_OF_CAPS;
	kcap_close(session->exit_sigh);
	session->exit_sigh = copy;
	if (session->exit_kind != 0 && kcap_valid(copy))
		(void)ksignal_submit(copy, 1); /* it ended already */
	return 0;
}

static int op_exit_state(rpc_object_t *self, uint32_t *state, int32_t *code)
{
	struct pd_session *session = session_of(self);
	*state = session->exit_kind;
	*code = session->exit_code;
	return 0;
}

static const struct pd_ops pd_ops = {
	.alloc = op_alloc,
	.free = op_free,
	.transfer_quota = op_transfer_quota,
	.quota = op_quota,
	.start = op_start,
	.exit_sigh = op_exit_sigh,
	.exit_state = op_exit_state,
};

/* --- sessions ---------------------------------------------------------- */

static int pd_create(struct root_component *svc, struct root_session *base,
                     const struct session_args *args, const char *raw_args,
                     const char **why)
{
	(void)raw_args;
	(void)why;
	struct pd_session *session = (struct pd_session *)base;
	session->service = (struct pd_service *)svc;
	session->exit_signal_cap = KCAP_INVALID;
	session->exit_sigh = KCAP_INVALID;
	session->ram_limit = args->ram_quota;
	session->cap_limit = args->cap_quota;
	str_copy(session->label, args->label, sizeof(session->label));
	return 0;
}

int pd_session_create(struct pd_service *s, const char *label, uint64_t ram,
                      uint64_t caps, struct pd_session **out)
{
	struct session_args args = { .ram_quota = ram, .cap_quota = caps };
	struct root_session *base;
	const char *why;
	str_copy(args.label, label, sizeof(args.label));
	int rc = root_component_create(&s->base, &args, "", &base, &why);
	if (rc == 0)
		*out = (struct pd_session *)base;
	return rc;
}

/* The session object is no longer served when this runs. */
static void pd_destroy(struct root_component *svc, struct root_session *base)
{
	(void)svc;
	struct pd_session *session = (struct pd_session *)base;
	/* stop listening first: the kill below must not report an end */
	if (kcap_valid(session->exit_signal_cap)) {
		entrypoint_dissolve_signal(&session->exit_signal);
		kcap_close(session->exit_signal_cap);
	}
	/* its last output and its end, before kpd_destroy releases it */
	core_platform_domain_ended(session->life_id);
	if (session->domain)
		kpd_destroy(session->domain);
	while (session->dataspaces) {
		struct ram_ds *ds = session->dataspaces;
		session->dataspaces = ds->next;
		kcap_close(ds->mem);
		free(ds);
	}
	kcap_close(session->exit_sigh);
}

kcap_t pd_session_cap(const struct pd_session *session)
{
	return session->base.cap;
}

kpd_t *pd_session_domain(struct pd_session *session)
{
	return session->exit_kind == 0 ? session->domain : NULL;
}

void pd_session_on_exit(struct pd_session *session,
                        void (*fn)(void *arg, enum kpd_state state, int code),
                        void *arg)
{
	session->on_exit = fn;
	session->on_exit_arg = arg;
}

struct pd_session *pd_service_lookup(struct pd_service *s, kcap_t cap)
{
	return (struct pd_session *)root_component_lookup(&s->base, cap);
}

static int pd_upgrade(struct root_component *svc, struct root_session *base,
                      uint64_t ram, uint64_t caps)
{
	(void)svc;
	struct pd_session *session = (struct pd_session *)base;
	if (session->ram_limit > UINT64_MAX - ram ||
	    session->cap_limit > UINT64_MAX - caps)
		return ROOT_ERR_INVALID;
	session->ram_limit += ram;
	session->cap_limit += caps;
	INVARIANT(pool_ok(session));
	sync_ram_limit(session);
	return 0;
}

/* Gives back quota the pool has free (parent.downgrade through core's
 * parent object): the pool's limit and the domain's memory limit go down,
 * its dataspaces stay. */
static int pd_downgrade(struct root_component *svc, struct root_session *base,
                        uint64_t ram, uint64_t caps)
{
	(void)svc;
	struct pd_session *session = (struct pd_session *)base;
	if (ram > session->ram_limit - session->ram_used)
		return ROOT_ERR_OUT_OF_RAM;
	if (caps > session->cap_limit - session->cap_used)
		return ROOT_ERR_OUT_OF_CAPS;
	session->ram_limit -= ram;
	session->cap_limit -= caps;
	INVARIANT(pool_ok(session));
	sync_ram_limit(session);
	return 0;
}

static const struct root_component_ops ops = {
	.create = pd_create,
	.upgrade = pd_upgrade,
	.downgrade = pd_downgrade,
	.destroy = pd_destroy,
};

/* domain_output's sink: every line into the target's log. */
static void log_output_line(void *target, const char *label, const char *line)
{
	target_log(target, label, line);
}

int pd_service_init(struct pd_service *s, entrypoint_t *ep,
                    struct target *target)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("PD"),
		.iface = &pd_rpc,
		.session_ops = &pd_ops,
		ROOT_SESSION_LAYOUT(struct pd_session, base),
		.ops = &ops,
	};
	s->target = target;
	target_logf(target, "%s bounded by: %s", CORE_MEMORY_BOUND_OF,
	            kpd_memory_bound());
	int rc = domain_output_start(&s->output, log_output_line, target);
	if (rc != 0)
		return rc;
	rc = root_component_init(&s->base, ep, &config);
	if (rc != 0)
		domain_output_stop(s->output);
	return rc;
}

void pd_service_dissolve(struct pd_service *s)
{
	root_component_dissolve(&s->base);
	/* every domain has ended: their pipes hold their last words */
	domain_output_stop(s->output);
	s->output = NULL;
}
