/*
 * Core's parent object for init (init_parent.h). Each request is decoded
 * (service, arguments, label, quota) before anything is paid or opened;
 * quota taken from init's PD goes back when the request is refused or the
 * session closed.
 */
#include "init_parent.h"

#include "parent_rpc.h"
#include "pd_rpc.h"
#include "root_rpc.h"

#include <runtime/arg_string.h>

#include <stdlib.h>
#include <string.h>

#define INIT_LABEL "init"
#define ARGS_MAX 600

struct init_request {
	struct init_request *next;
	uint32_t id;
	struct root_component *service; /* NULL for init's own PD */
	kcap_t cap;         /* the service's; KCAP_INVALID if refused */
	int status;         /* 0 or a PARENT_ERR_* */
	uint64_t ram, caps; /* paid from init's PD */
};

static struct init_parent *parent_of(rpc_object_t *self)
{
	return (struct init_parent *)self;
}

static struct init_request *request_of(struct init_parent *p, uint32_t id)
{
	for (struct init_request *r = p->requests; r; r = r->next)
		if (r->id == id)
			return r;
	return NULL;
}

static void request_forget(struct init_parent *p, struct init_request *r)
{
	for (struct init_request **at = &p->requests; *at; at = &(*at)->next)
		if (*at == r) {
			*at = r->next;
			break;
		}
	free(r);
}

static int parent_error_of(int root_error)
{
	switch (root_error) {
	case ROOT_ERR_OUT_OF_RAM:
		return PARENT_ERR_OUT_OF_RAM;
	case ROOT_ERR_OUT_OF_CAPS:
		return PARENT_ERR_OUT_OF_CAPS;
	case ROOT_ERR_INVALID:
		return PARENT_ERR_INVALID;
	default:
		return PARENT_ERR_DENIED;
	}
}

static int op_session_sigh(rpc_object_t *self, kcap_t signal)
{
	struct init_parent *p = parent_of(self);
	kcap_t copy = KCAP_INVALID;
	if (kcap_valid(signal) && kcap_copy(signal, &copy) != 0)
		return PARENT_ERR_INVALID;
	kcap_close(p->session_sigh);
	p->session_sigh = copy;
	return 0;
}

/* The label core's service sees for `label` of init: init's "config" ROM
 * is the module INIT_CONFIG_MODULE, anything else is what init said. */
static const char *label_at_core(struct init_parent *p,
                                 const struct root_component *svc,
                                 const char *label)
{
	return svc == &p->services->rom.base && strcmp(label, "config") == 0
	               ? INIT_CONFIG_MODULE
	               : label;
}

/* Decode: the arguments as core's service `svc` will see them, with the
 * label prefixed; the label init sent is kept in `parsed`. */
static int decode_args(struct init_parent *p, const struct root_component *svc,
                       const char *args, struct session_args *parsed,
                       char out[ARGS_MAX])
{
	const char *why;
	char label[SESSION_LABEL_MAX];
	if (strlen(args) >= ARGS_MAX ||
	    session_args_parse(args, parsed, &why) != 0 ||
	    session_label_prefix(INIT_LABEL,
	                         label_at_core(p, svc, parsed->label), label,
	                         sizeof(label)) != 0)
		return PARENT_ERR_INVALID;
	memcpy(out, args, strlen(args) + 1);
	if (arg_string_set_quoted(out, ARGS_MAX, "label", label) != ARG_OK)
		return PARENT_ERR_INVALID;
	return 0;
}

/* Invoke: opens the session at core's service (after payment). */
static int open_at_service(struct init_parent *p, struct init_request *r,
                           const struct session_args *parsed, const char *args)
{
	struct core_services *s = p->services;
	const char *why = "";
	int rc = root_component_open(r->service, args, &r->cap, &why);
	if (rc != 0) {
		char label[SESSION_LABEL_MAX];
		session_label_prefix(INIT_LABEL, parsed->label, label,
		                     sizeof(label));
		target_logf(s->log.target, "%s session of '%s' denied: %s",
		            root_component_name(r->service), label, why);
		return parent_error_of(rc);
	}
	if (r->service == &s->cpu.base && parsed->label[0] == '\0')
		cpu_service_bind(&s->cpu, r->cap, p->pd);
	return 0;
}

static int op_session(rpc_object_t *self, const char *service, const char *args,
                      uint32_t *id)
{
	struct init_parent *p = parent_of(self);
	struct session_args parsed;
	char prefixed[ARGS_MAX];
	struct root_component *svc = core_services_find(p->services, service);
	int rc = decode_args(p, svc, args, &parsed, prefixed);
	if (rc != 0)
		return rc;
	int own_pd = svc == &p->services->pd.base && parsed.label[0] == '\0';
	struct init_request *r = calloc(1, sizeof(*r));
	if (!r)
		return PARENT_ERR_OUT_OF_RAM;
	r->id = ++p->next_id;
	r->service = own_pd ? NULL : svc;
	r->cap = own_pd ? pd_session_cap(p->pd) : KCAP_INVALID;
	if (!svc) {
		target_logf(p->services->log.target,
		            "'%s' asked for service '%s', which core lacks",
		            INIT_LABEL, service);
		r->status = PARENT_ERR_DENIED;
	} else if (!own_pd) {
		rc = pd_session_withdraw(p->pd, parsed.ram_quota,
		                         parsed.cap_quota);
		if (rc != 0) {
			free(r);
			return rc == PD_ERR_OUT_OF_RAM ? PARENT_ERR_OUT_OF_RAM
			                               : PARENT_ERR_OUT_OF_CAPS;
		}
		r->ram = parsed.ram_quota;
		r->caps = parsed.cap_quota;
		r->status = open_at_service(p, r, &parsed, prefixed);
		if (r->status != 0) {
			pd_session_deposit(p->pd, r->ram, r->caps);
			r->ram = r->caps = 0;
		}
	}
	r->next = p->requests;
	p->requests = r;
	*id = r->id;
	if (kcap_valid(p->session_sigh))
		(void)ksignal_submit(p->session_sigh, 1);
	return 0;
}

/* Core answers every request at once: a ready session's capability goes
 * with the id; a refusal is told by session_cap, as after op_session. */
static int op_session_now(rpc_object_t *self, const char *service,
                          const char *args, uint32_t *id, kcap_t *session)
{
	struct init_parent *p = parent_of(self);
	int rc = op_session(self, service, args, id);
	struct init_request *r = rc == 0 ? request_of(p, *id) : NULL;

	*session = r && r->status == 0 ? r->cap : KCAP_INVALID;
	return rc;
}

static int op_session_cap(rpc_object_t *self, uint32_t id, kcap_t *session)
{
	struct init_parent *p = parent_of(self);
	struct init_request *r = request_of(p, id);
	if (!r)
		return PARENT_ERR_UNKNOWN;
	if (r->status != 0) {
		int status = r->status;
		request_forget(p, r); /* a refusal is told once */
		return status;
	}
	*session = r->cap;
	return 0;
}

/* A quota change of a granted session, as op_upgrade and op_downgrade
 * both begin it. */
struct quota_change {
	struct init_parent *p;
	struct init_request *r;
	struct session_args parsed;
};

/* `id` names a session granted and `args` its quota words: 0 with *q
 * set, or the PARENT_ERR_* to answer. */
static int quota_change_decode(rpc_object_t *self, uint32_t id,
                               const char *args, struct quota_change *q)
{
	const char *why;
	q->p = parent_of(self);
	q->r = request_of(q->p, id);
	if (!q->r || q->r->status != 0)
		return PARENT_ERR_UNKNOWN;
	if (session_args_parse(args, &q->parsed, &why) != 0)
		return PARENT_ERR_INVALID;
	return 0;
}

static int op_upgrade(rpc_object_t *self, uint32_t id, const char *args)
{
	struct quota_change q;
	int rc = quota_change_decode(self, id, args, &q);
	if (rc != 0)
		return rc;
	if (!q.r->service)
		return 0; /* init's own PD: its quota is its own already */
	rc = pd_session_withdraw(q.p->pd, q.parsed.ram_quota,
	                         q.parsed.cap_quota);
	if (rc != 0)
		return rc == PD_ERR_OUT_OF_RAM ? PARENT_ERR_OUT_OF_RAM
		                               : PARENT_ERR_OUT_OF_CAPS;
	rc = root_component_upgrade(q.r->service, q.r->cap, args);
	if (rc != 0) {
		pd_session_deposit(q.p->pd, q.parsed.ram_quota,
		                   q.parsed.cap_quota);
		return parent_error_of(rc);
	}
	q.r->ram += q.parsed.ram_quota;
	q.r->caps += q.parsed.cap_quota;
	return 0;
}

/* The inverse of op_upgrade: the service gives back what it has free of
 * the session's quota (core's PD service, for a child's PD) and init's PD
 * gets it; the request then counts that much less, so closing it later
 * returns only the rest. */
static int op_downgrade(rpc_object_t *self, uint32_t id, const char *args)
{
	struct quota_change q;
	int rc = quota_change_decode(self, id, args, &q);
	if (rc != 0)
		return rc;
	if (!q.r->service)
		return PARENT_ERR_DENIED; /* init's own PD is no donation */
	if (q.parsed.ram_quota > q.r->ram || q.parsed.cap_quota > q.r->caps)
		return PARENT_ERR_INVALID;
	rc = root_component_downgrade(q.r->service, q.r->cap, args);
	if (rc != 0)
		return parent_error_of(rc);
	q.r->ram -= q.parsed.ram_quota;
	q.r->caps -= q.parsed.cap_quota;
	pd_session_deposit(q.p->pd, q.parsed.ram_quota, q.parsed.cap_quota);
	return 0;
}

static void request_close(struct init_parent *p, struct init_request *r)
{
	if (r->service && r->status == 0)
		root_component_close(r->service, r->cap);
	pd_session_deposit(p->pd, r->ram, r->caps);
	request_forget(p, r);
}

static int op_close(rpc_object_t *self, uint32_t id)
{
	struct init_parent *p = parent_of(self);
	struct init_request *r = request_of(p, id);
	if (!r)
		return PARENT_ERR_UNKNOWN;
	request_close(p, r);
	return 0;
}

static int op_announce(rpc_object_t *self, const char *service, kcap_t root)
{
	(void)root;
	target_logf(parent_of(self)->services->log.target,
	            "'%s' announced '%s', but core routes nothing to init",
	            INIT_LABEL, service);
	return PARENT_ERR_DENIED;
}

static int op_exit(rpc_object_t *self, int32_t code)
{
	(void)self;
	(void)code;
	return 0; /* the domain's end is reported when it happens */
}

static const struct parent_ops parent_ops = {
	.session_sigh = op_session_sigh,
	.session = op_session,
	.session_cap = op_session_cap,
	.session_now = op_session_now,
	.upgrade = op_upgrade,
	.downgrade = op_downgrade,
	.close = op_close,
	.announce = op_announce,
	.exit = op_exit,
};

int init_parent_init(struct init_parent *p, struct core_services *services,
                     struct pd_session *pd)
{
	memset(p, 0, sizeof(*p));
	p->services = services;
	p->pd = pd;
	p->cap = p->session_sigh = KCAP_INVALID;
	return parent_manage(services->pd.base.ep, &p->obj, &parent_ops,
	                     &p->cap);
}

void init_parent_dissolve(struct init_parent *p)
{
	entrypoint_dissolve(&p->obj);
	while (p->requests)
		request_close(p, p->requests);
	kcap_close(p->session_sigh);
	kcap_close(p->cap);
}

int init_parent_start(struct init_parent *p, struct core_services *services,
                      kcap_t image, uint64_t ram, uint64_t caps,
                      const char *from,
                      void (*ended)(void *arg, enum kpd_state state, int code),
                      void *arg)
{
	struct target *t = services->log.target;
	struct pd_session *pd;
	int rc = pd_session_create(&services->pd, INIT_LABEL, ram, caps, &pd);
	if (rc == 0) {
		pd_session_on_exit(pd, ended, arg);
		rc = init_parent_init(p, services, pd);
	}
	if (rc != 0) {
		target_logf(t, "cannot start init: core is out of resources");
		return -1;
	}
	rc = pd_session_start(pd, image, p->cap);
	if (rc != 0) {
		target_logf(t, "cannot start init: %s",
		            rpc_strerror(&pd_rpc, rc));
		init_parent_dissolve(p);
		return -1;
	}
	target_logf(t, "started init%s with %llu bytes of RAM quota", from,
	            (unsigned long long)ram);
	return 0;
}
