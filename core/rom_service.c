/*
 * Core's ROM service (rom_service.h). Modules are shared by the sessions
 * that name them and read once per version; a module with no sessions
 * left is forgotten.
 */
#include "rom_service.h"

#include "config_watch.h"
#include "rom_rpc.h"
#include "root_rpc.h"

#include <runtime/str.h>

#include <stdlib.h>
#include <string.h>

struct rom_module {
	struct rom_module  *next;
	char                name[TARGET_NAME_MAX + 1];
	kcap_t              mem;        /* KCAP_INVALID while unavailable */
	size_t              size;
	uint32_t            version;
	struct module_stamp stamp;
	unsigned            users;      /* sessions naming it */
};

struct rom_session {
	rpc_object_t        obj;        /* first member */
	struct rom_service *service;
	struct rom_session *next;
	kcap_t              cap;
	struct rom_module  *module;
	kcap_t              sigh;       /* the client's, a copy */
};

static int stamps_equal(const struct module_stamp *a,
                        const struct module_stamp *b)
{
	return a->found == b->found && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime_ns == b->mtime_ns;
}

/* (Re)reads the module's file; a missing file makes it unavailable. */
static void module_load(struct rom_service *s, struct rom_module *m)
{
	kcap_t mem;
	size_t size;
	struct module_stamp stamp;
	kcap_close(m->mem);
	m->mem = KCAP_INVALID;
	m->size = 0;
	if (target_read_module(s->target, m->name, &mem, &size, &stamp) == 0) {
		m->mem = mem;
		m->size = size;
		m->stamp = stamp;
	} else {
		memset(&m->stamp, 0, sizeof(m->stamp));
	}
	m->version++;
}

static struct rom_module *module_get(struct rom_service *s, const char *name)
{
	for (struct rom_module *m = s->modules; m; m = m->next)
		if (strcmp(m->name, name) == 0) {
			m->users++;
			return m;
		}
	struct rom_module *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	str_copy(m->name, name, sizeof(m->name));
	m->mem = KCAP_INVALID;
	module_load(s, m);
	m->users = 1;
	m->next = s->modules;
	s->modules = m;
	return m;
}

static void module_put(struct rom_service *s, struct rom_module *m)
{
	if (--m->users > 0)
		return;
	for (struct rom_module **at = &s->modules; *at; at = &(*at)->next)
		if (*at == m) {
			*at = m->next;
			break;
		}
	kcap_close(m->mem);
	free(m);
}

static void notify_sessions(struct rom_service *s, struct rom_module *m)
{
	for (struct rom_session *r = s->sessions; r; r = r->next)
		if (r->module == m && kcap_valid(r->sigh))
			(void)ksignal_submit(r->sigh, 1);
}

void rom_service_rescan(struct rom_service *s)
{
	for (struct rom_module *m = s->modules; m; m = m->next) {
		struct module_stamp now;
		target_module_stamp(s->target, m->name, &now);
		if (stamps_equal(&now, &m->stamp))
			continue;
		module_load(s, m);
		notify_sessions(s, m);
	}
}

static void config_changed(void *arg, uint32_t count)
{
	(void)count;
	rom_service_rescan(arg);
}

/* --- sessions ---------------------------------------------------------- */

static int op_dataspace(rpc_object_t *self, kcap_t *dataspace, uint64_t *size,
                        uint32_t *version)
{
	struct rom_module *m = ((struct rom_session *)self)->module;
	if (!kcap_valid(m->mem))
		return ROM_ERR_UNAVAILABLE;
	*dataspace = m->mem;
	*size = m->size;
	*version = m->version;
	return 0;
}

static int op_sigh(rpc_object_t *self, kcap_t signal)
{
	struct rom_session *r = (struct rom_session *)self;
	kcap_t copy = KCAP_INVALID;
	if (kcap_valid(signal) && kcap_copy(signal, &copy) != 0)
		return ROM_ERR_UNAVAILABLE;
	kcap_close(r->sigh);
	r->sigh = copy;
	return 0;
}

static const struct rom_ops rom_ops = {
	.dataspace = op_dataspace, .sigh = op_sigh,
};

int rom_service_open_module(struct rom_service *s, const char *module,
                            kcap_t *cap, const char **why)
{
	if (!target_module_name_ok(module)) {
		*why = "the ROM name is no module name (a file name without '/', "
		       "not hidden)";
		return ROOT_ERR_DENIED;
	}
	struct rom_session *r = calloc(1, sizeof(*r));
	if (!r || !(r->module = module_get(s, module))) {
		free(r);
		*why = "core is out of memory";
		return ROOT_ERR_OUT_OF_RAM;
	}
	r->service = s;
	r->sigh = KCAP_INVALID;
	if (rom_manage(s->base.ep, &r->obj, &rom_ops, &r->cap) != 0) {
		module_put(s, r->module);
		free(r);
		*why = "core cannot serve another session";
		return ROOT_ERR_DENIED;
	}
	r->next = s->sessions;
	s->sessions = r;
	*cap = r->cap;
	return 0;
}

static int rom_open(struct core_service *svc, const struct session_args *args,
                    const char *raw_args, kcap_t *cap, const char **why)
{
	(void)raw_args;
	return rom_service_open_module((struct rom_service *)svc,
	                               session_label_last(args->label), cap, why);
}

static int rom_upgrade(struct core_service *svc, kcap_t cap, uint64_t ram,
                       uint64_t caps)
{
	(void)ram; (void)caps;
	return core_session_lookup(svc->ep, cap, &rom_rpc) ? 0 : ROOT_ERR_UNKNOWN;
}

static void rom_session_free(struct rom_service *s, struct rom_session *r)
{
	entrypoint_dissolve(&r->obj);
	kcap_close(r->cap);
	kcap_close(r->sigh);
	module_put(s, r->module);
	free(r);
}

static int rom_close(struct core_service *svc, kcap_t cap)
{
	struct rom_service *s = (struct rom_service *)svc;
	rpc_object_t *obj = core_session_lookup(svc->ep, cap, &rom_rpc);
	for (struct rom_session **at = &s->sessions; obj && *at;
	     at = &(*at)->next) {
		if (&(*at)->obj == obj) {
			struct rom_session *r = *at;
			*at = r->next;
			rom_session_free(s, r);
			return 0;
		}
	}
	return ROOT_ERR_UNKNOWN;
}

static const struct core_service_ops ops = {
	.session = rom_open, .upgrade = rom_upgrade, .close = rom_close,
};

int rom_service_init(struct rom_service *s, entrypoint_t *ep,
                     struct target *target)
{
	memset(s, 0, sizeof(*s));
	s->target = target;
	s->changed_cap = KCAP_INVALID;
	int rc = core_service_init(&s->base, ep, "ROM", &ops);
	if (rc != 0)
		return rc;
	rc = entrypoint_manage_signal(ep, &s->changed, config_changed, s,
	                              &s->changed_cap);
	char config_dir[PATH_MAX + 8];
	str_format(config_dir, sizeof(config_dir), "%s/config", target->dir);
	if (rc == 0)
		rc = config_watch_start(&s->watch, config_dir, s->changed_cap);
	if (rc != 0) {
		if (kcap_valid(s->changed_cap)) {
			entrypoint_dissolve_signal(&s->changed);
			kcap_close(s->changed_cap);
		}
		core_service_dissolve(&s->base);
	}
	return rc;
}

void rom_service_dissolve(struct rom_service *s)
{
	config_watch_stop(s->watch);
	entrypoint_dissolve_signal(&s->changed);
	kcap_close(s->changed_cap);
	while (s->sessions) {
		struct rom_session *r = s->sessions;
		s->sessions = r->next;
		rom_session_free(s, r);
	}
	core_service_dissolve(&s->base);
}
