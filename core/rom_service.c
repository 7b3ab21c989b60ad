/*
 * Core's ROM service (rom_service.h). Modules are shared by the sessions
 * that name them (the same rom_from, archive and name) and read once per
 * version; a config or boot module with no sessions left is forgotten.
 * Depot modules are read once, at the first session: archive versions are
 * immutable. A depot file also stays when its last session closes, as long
 * as the idle ones fit ROM_IDLE_DEPOT_BYTES: a parent closes the ROM
 * session of a binary as soon as the child runs, and without this every
 * child of one pkg would get a copy of its own (read and hashed anew)
 * instead of sharing one. Past the budget the longest idle go first, so
 * core's memory stays bounded whatever is installed.
 */
#include "rom_service.h"

#include "config_watch.h"
#include "depot_rom.h"
#include "rom_request.h"
#include "rom_rpc.h"
#include "root_rpc.h"

#include <runtime/str.h>

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct rom_module {
	struct rom_module *next;
	struct rom_request key;
	kcap_t mem; /* KCAP_INVALID while unavailable */
	size_t size;
	uint32_t version;
	struct module_stamp stamp;
	unsigned users;      /* sessions naming it */
	uint64_t idle_since; /* users == 0: when it became idle
	                                   (rom_service.idle_clock) */
};

struct rom_session {
	struct root_session base; /* first member */
	struct rom_module *module;
	kcap_t sigh; /* the client's, a copy */
};

static int stamps_equal(const struct module_stamp *a,
                        const struct module_stamp *b)
{
	return a->found == b->found && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime_ns == b->mtime_ns;
}

static int from_target(const struct rom_module *m)
{
	return m->key.from == ROM_FROM_CONFIG || m->key.from == ROM_FROM_BOOT;
}

static enum target_where where_of(const struct rom_module *m)
{
	return m->key.from == ROM_FROM_BOOT ? TARGET_IN_BOOT
	                                    : TARGET_IN_CONFIG_OR_BOOT;
}

/* (Re)reads the module's file of config/ or boot/; a missing file, or one
 * beyond the target's module limit (said in the log), makes it
 * unavailable. */
static void module_load(struct rom_service *s, struct rom_module *m)
{
	kcap_t mem;
	size_t size;
	struct module_stamp stamp;
	assert(from_target(m)); /* depot modules are never read again */
	kcap_close(m->mem);
	m->mem = KCAP_INVALID;
	m->size = 0;
	int rc = target_read_module(s->target, where_of(m), m->key.name, &mem,
	                            &size, &stamp);
	if (rc == 0) {
		m->mem = mem;
		m->size = size;
		m->stamp = stamp;
	} else {
		memset(&m->stamp, 0, sizeof(m->stamp));
	}
	if (rc == KERR_TOO_BIG)
		target_logf(s->target,
		            "ROM '%s' unavailable: %zu bytes, more "
		            "than --module-limit %llu",
		            m->key.name, size,
		            (unsigned long long)s->target->module_limit);
	m->version++;
}

/* The first read of a config or boot module. Where modules never appear
 * later (core_platform.h: the boot image is all there is), a missing one
 * refuses the session, with the reason in s->why. */
static int module_load_first(struct rom_service *s, struct rom_module *m)
{
	module_load(s, m);
	if (CORE_MODULES_APPEAR || kcap_valid(m->mem))
		return 0;
	str_format(s->why, sizeof(s->why), "there is no boot module '%s'",
	           m->key.name);
	return ROOT_ERR_DENIED;
}

/* Reads a depot module once; it must exist (the session is refused
 * otherwise, with the reason in s->why). */
static int depot_load(struct rom_service *s, struct rom_module *m)
{
	enum depot_rom_status status;
	assert(!from_target(m) && !kcap_valid(m->mem));
	if (m->key.from == ROM_FROM_DEPOT)
		status = depot_rom_read(s->target, m->key.archive, m->key.name,
		                        &m->mem, &m->size, s->why,
		                        sizeof(s->why));
	else if ((status = depot_rom_index(s->target, m->key.archive, &m->mem,
	                                   &m->size)) == DEPOT_ROM_MISSING)
		/* a platform without a depot (linux always makes an index) */
		str_format(s->why, sizeof(s->why),
		           "archive %s: there is no "
		           "depot on this platform",
		           m->key.archive);
	if (status == DEPOT_ROM_NO_MEMORY) {
		str_copy(s->why, "core is out of memory", sizeof(s->why));
		return ROOT_ERR_OUT_OF_RAM;
	}
	m->version = 1;
	return status == DEPOT_ROM_OK ? 0 : ROOT_ERR_DENIED;
}

/* The module the request names, shared, or a new one. 0 or a root error,
 * with the reason in s->why. */
static int module_get(struct rom_service *s, const struct rom_request *key,
                      struct rom_module **module)
{
	for (struct rom_module *m = s->modules; m; m = m->next)
		if (rom_request_same(&m->key, key)) {
			if (m->users++ == 0)
				s->idle_bytes -= m->size;
			*module = m;
			return 0;
		}
	struct rom_module *m = calloc(1, sizeof(*m));
	if (!m) {
		str_copy(s->why, "core is out of memory", sizeof(s->why));
		return ROOT_ERR_OUT_OF_RAM;
	}
	m->key = *key;
	m->mem = KCAP_INVALID;
	int rc = 0;
	if (from_target(m))
		rc = module_load_first(s, m);
	else
		rc = depot_load(s, m);
	if (rc != 0) {
		free(m);
		return rc;
	}
	m->users = 1;
	m->next = s->modules;
	s->modules = m;
	*module = m;
	return 0;
}

static void module_free(struct rom_service *s, struct rom_module *m)
{
	for (struct rom_module **at = &s->modules; *at; at = &(*at)->next)
		if (*at == m) {
			*at = m->next;
			break;
		}
	kcap_close(m->mem);
	free(m);
}

/* Frees idle depot files, the longest idle first, until the rest fit
 * `budget` bytes. */
static void evict_idle(struct rom_service *s, uint64_t budget)
{
	while (s->idle_bytes > budget) {
		struct rom_module *oldest = NULL;
		for (struct rom_module *m = s->modules; m; m = m->next)
			if (m->users == 0 &&
			    (!oldest || m->idle_since < oldest->idle_since))
				oldest = m;
		assert(oldest); /* idle_bytes counts exactly the idle ones */
		s->idle_bytes -= oldest->size;
		module_free(s, oldest);
	}
}

static void module_put(struct rom_service *s, struct rom_module *m)
{
	if (--m->users > 0)
		return;
	if (m->key.from != ROM_FROM_DEPOT) {
		module_free(s, m);
		return;
	}
	m->idle_since = ++s->idle_clock;
	s->idle_bytes += m->size;
	evict_idle(s, ROM_IDLE_DEPOT_BYTES);
}

static void notify_sessions(struct rom_service *s, struct rom_module *m)
{
	for (struct list_elem *e = root_component_first(&s->base); e;
	     e = list_next(e)) {
		struct rom_session *r = (struct rom_session *)
			container_of(e, struct root_session, elem);
		if (r->module == m && kcap_valid(r->sigh))
			(void)ksignal_submit(r->sigh, 1);
	}
}

/* Whether two sealed memory objects of `size` bytes hold the same bytes;
 * one that cannot be mapped counts as changed. */
static int same_bytes(kcap_t a, kcap_t b, size_t size)
{
	void *pa = NULL, *pb = NULL;
	int same = kmem_map(a, 0, size, KMEM_READ, NULL, &pa) == 0 &&
	           kmem_map(b, 0, size, KMEM_READ, NULL, &pb) == 0 &&
	           memcmp(pa, pb, size) == 0;
	if (pa)
		(void)kmem_unmap(pa, size);
	if (pb)
		(void)kmem_unmap(pb, size);
	return same;
}

/* Makes every depot index with sessions anew and signals the sessions of
 * those that changed: an archive may have been installed since, which a
 * pkg waiting for it must see (on riscv an archive pushed over the
 * control channel, core/riscv/control_archive.h). An index has sessions
 * only while a client holds it (init closes each once read), so this
 * reads few archives, if any. One that cannot be made now keeps the old. */
static void index_rescan(struct rom_service *s)
{
	for (struct rom_module *m = s->modules; m; m = m->next) {
		kcap_t mem;
		size_t size;
		if (m->key.from != ROM_FROM_DEPOT_INDEX ||
		    depot_rom_index(s->target, m->key.archive, &mem, &size) !=
		            DEPOT_ROM_OK)
			continue;
		if (size == m->size && same_bytes(mem, m->mem, size)) {
			kcap_close(mem);
			continue;
		}
		kcap_close(m->mem);
		m->mem = mem;
		m->size = size;
		m->version++;
		notify_sessions(s, m);
	}
}

/* Checks every module with sessions against its file now and signals the
 * sessions of those that changed (what an inotify event triggers), and
 * the depot indexes (index_rescan). */
static void rom_service_rescan(struct rom_service *s)
{
	index_rescan(s);
	for (struct rom_module *m = s->modules; m; m = m->next) {
		struct module_stamp now;
		if (!from_target(m))
			continue; /* depot files are immutable */
		target_module_stamp(s->target, where_of(m), m->key.name, &now);
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
	.dataspace = op_dataspace,
	.sigh = op_sigh,
};

static int rom_create(struct root_component *svc, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	struct rom_service *s = (struct rom_service *)svc;
	struct rom_session *r = (struct rom_session *)base;
	struct rom_request request;
	if (rom_request_decode(raw_args, session_label_last(args->label),
	                       &request, why) != 0)
		return ROOT_ERR_DENIED;
	int rc = module_get(s, &request, &r->module);
	if (rc != 0) {
		*why = s->why;
		return rc;
	}
	r->sigh = KCAP_INVALID;
	return 0;
}

static void rom_destroy(struct root_component *svc, struct root_session *base)
{
	struct rom_session *r = (struct rom_session *)base;
	kcap_close(r->sigh);
	module_put((struct rom_service *)svc, r->module);
}

static const struct root_component_ops ops = {
	.create = rom_create,
	.destroy = rom_destroy,
};

int rom_service_init(struct rom_service *s, entrypoint_t *ep,
                     struct target *target)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("ROM"),
		.iface = &rom_rpc,
		.session_ops = &rom_ops,
		ROOT_SESSION_LAYOUT(struct rom_session, base),
		.ops = &ops,
	};
	memset(s, 0, sizeof(*s));
	s->target = target;
	s->changed_cap = KCAP_INVALID;
	int rc = root_component_init(&s->base, ep, &config);
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
		root_component_dissolve(&s->base);
	}
	return rc;
}

void rom_service_dissolve(struct rom_service *s)
{
	config_watch_stop(s->watch);
	entrypoint_dissolve_signal(&s->changed);
	kcap_close(s->changed_cap);
	root_component_dissolve(&s->base);
	evict_idle(s, 0);
}
