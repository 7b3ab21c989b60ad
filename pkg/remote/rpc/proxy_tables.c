/*
 * The tables of one link (proxy_impl.h): what this node exports to the
 * peer (objects, signal sources, dataspaces with their shadows, by
 * reference) and the stand-ins it serves for what the peer exported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <runtime/cap.h>
#include <runtime/container_of.h>

#include "iface_table.h"
#include "proxy_impl.h"

/* A reference's nonce. From getentropy(), not OpenSSL's RAND_bytes():
 * this runs on the entrypoint and the worker while the link thread uses
 * OpenSSL, which the riscv build has without threads
 * (mk/openssl-riscv.mk), so only the link thread may call it. */
static uint64_t fresh_nonce(void)
{
	uint64_t n = 0;
	while (n == 0)
		if (getentropy(&n, sizeof n) != 0)
			abort(); /* no randomness: references would be guessable */
	return n;
}

static void export_free(struct proxy *p, uint32_t slot)
{
	struct export *e = &p->exports[slot];
	dataspace_release(&e->ds);
	free(e->shadow);
	cap_close(e->cap);
	memset(e, 0, sizeof *e);
	e->cap = KCAP_INVALID;
	e->ds = DATASPACE_EMPTY;
	ref_free(&p->refs, slot);
}

/* Maps a memory export for reading and gives it a shadow. */
static int export_memory(struct proxy *p, struct export *e, uint32_t *size)
{
	size_t bytes = 0;
	kcap_t copy;
	if (cap_memory_size(e->cap, &bytes) || bytes == 0 ||
	    bytes > PROXY_DS_MAX) {
		say(p, "a dataspace of %zu bytes does not cross (at most %u)",
		    bytes, PROXY_DS_MAX);
		return -1;
	}
	if (cap_copy(e->cap, &copy) || dataspace_open(&e->ds, copy, bytes) ||
	    dataspace_attach(&e->ds, false) || !(e->shadow = malloc(bytes))) {
		say(p, "cannot map a dataspace to copy it across");
		return -1;
	}
	*size = (uint32_t)bytes;
	return 0;
}

/* Takes `cap` (owned) into the export table for `session`; *out is what
 * crosses. Lock held. A capability that cannot cross becomes NONE. */
void export_cap(struct proxy *p, kcap_t cap, uint32_t session,
                struct proxy_cap *out)
{
	static const uint32_t kinds[] = {
		[KCAP_TYPE_ENDPOINT] = PROXY_CAP_OBJECT,
		[KCAP_TYPE_SIGNAL] = PROXY_CAP_SIGNAL,
		[KCAP_TYPE_MEMORY] = PROXY_CAP_MEMORY,
		[KCAP_TYPE_STREAM] = PROXY_CAP_NONE,
	};
	enum kcap_type type = cap_valid(cap) ? cap_type(cap) : KCAP_TYPE_NONE;
	struct proxy_ref ref;
	int slot;
	memset(out, 0, sizeof *out);
	if (type == KCAP_TYPE_NONE || kinds[type] == PROXY_CAP_NONE ||
	    (slot = ref_alloc(&p->refs, fresh_nonce(), &ref)) < 0) {
		if (cap_valid(cap))
			say(p, "a capability does not cross to %s (%s)",
			    p->cfg.peer,
			    type == KCAP_TYPE_STREAM ? "a stream"
			                             : "no free reference");
		cap_close(cap);
		return;
	}
	struct export *e = &p->exports[slot];
	e->kind = kinds[type];
	e->session = session;
	e->cap = cap;
	e->ds = DATASPACE_EMPTY;
	if (e->kind == PROXY_CAP_MEMORY && export_memory(p, e, &out->size)) {
		export_free(p, (uint32_t)slot);
		return;
	}
	out->kind = e->kind;
	out->ref = ref;
}

/* The export `ref` names if it is of `kind` and `session`, else NULL. */
struct export *export_find(struct proxy *p, struct proxy_ref ref, uint32_t kind,
                           uint32_t session)
{
	int slot = ref_find(&p->refs, ref);
	if (slot < 0 || p->exports[slot].kind != kind ||
	    p->exports[slot].session != session)
		return NULL;
	return &p->exports[slot];
}

/* --- imports (stand-ins) ------------------------------------------------ */

static struct proxy_target *import_target(rpc_object_t *obj)
{
	return &container_of(obj, struct import, obj)->target;
}

const struct proxy_target_of import_of = { import_target };

static void on_standin_signal(signal_dispatcher_t *d, uint32_t count)
{
	struct import *imp = container_of(d, struct import, sig);
	struct proxy *p = imp->proxy;
	lock_acquire(&p->lock);
	imp->pending = count > UINT32_MAX - imp->pending ? UINT32_MAX
	                                                 : imp->pending + count;
	p->signals_pending = 1;
	wake_link(p);
	lock_release(&p->lock);
}

/* Dissolves a stand-in (not under the lock: dissolving waits for the
 * entrypoint, which may wait for the lock). */
static void import_dissolve(struct import *imp)
{
	if (imp->kind == PROXY_CAP_OBJECT) {
		entrypoint_dissolve(&imp->obj);
		cap_close(imp->cap);
	} else if (imp->kind == PROXY_CAP_SIGNAL) {
		signal_dispatcher_dissolve(&imp->sig);
		cap_close(imp->cap);
	} else if (imp->kind == PROXY_CAP_MEMORY) {
		dataspace_release(&imp->ds);
	}
}

struct import *import_reserve(struct proxy *p, uint32_t kind, uint32_t session,
                              struct proxy_ref remote)
{
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct import *imp = &p->imports[i];
		if (imp->state != IMPORT_FREE)
			continue;
		memset(imp, 0, sizeof *imp);
		imp->state = IMPORT_RESERVED;
		imp->kind = kind;
		imp->session = session;
		imp->remote = remote;
		imp->proxy = p;
		imp->cap = KCAP_INVALID;
		imp->ds = DATASPACE_EMPTY;
		return imp;
	}
	return NULL;
}

struct import *import_find(struct proxy *p, uint32_t kind,
                           struct proxy_ref remote)
{
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct import *imp = &p->imports[i];
		if (imp->state == IMPORT_LIVE && imp->kind == kind &&
		    imp->remote.slot == remote.slot &&
		    imp->remote.nonce == remote.nonce)
			return imp;
	}
	return NULL;
}

/* Serves a stand-in for an object or signal source of the peer (outside
 * the lock); *out is its capability, which the import keeps. */
static void import_standin(struct proxy *p, const struct proxy_cap *c,
                           uint32_t session, uint32_t epoch,
                           const char *iface_name, kcap_t *out)
{
	const rpc_interface_t *iface = iface_name ? iface_by_name(iface_name)
	                                          : NULL;
	struct import *imp;
	int err;
	if (c->kind == PROXY_CAP_OBJECT && !iface) {
		say(p,
		    "an object from %s is passed where the IDL says "
		    "plain cap (not cap<IFACE>): it does not cross",
		    p->cfg.peer);
		return;
	}
	lock_acquire(&p->lock);
	imp = epoch == p->epoch ? import_reserve(p, c->kind, session, c->ref)
	                        : NULL;
	lock_release(&p->lock);
	if (!imp)
		return;
	if (c->kind == PROXY_CAP_OBJECT) {
		imp->target = (struct proxy_target){ p, c->ref, session,
			                             epoch };
		err = entrypoint_manage(p->cfg.ep, &imp->obj,
		                        proxy_iface(iface), &import_of,
		                        &imp->cap);
	} else {
		err = signal_dispatcher_init(&imp->sig, p->cfg.ep,
		                             on_standin_signal, &imp->cap);
	}
	lock_acquire(&p->lock);
	if (!err && epoch == p->epoch) {
		imp->state = IMPORT_LIVE;
		*out = imp->cap;
		lock_release(&p->lock);
		return;
	}
	lock_release(&p->lock);
	if (!err) /* the link went meanwhile */
		import_dissolve(imp);
	lock_acquire(&p->lock);
	imp->state = IMPORT_FREE;
	lock_release(&p->lock);
}

/* The capability on this node for what the peer passed as *c (KCAP_INVALID
 * for none, or one that cannot cross); it stays the import table's. */
kcap_t import_cap(struct proxy *p, const struct proxy_cap *c, uint32_t session,
                  uint32_t epoch, const char *iface_name)
{
	kcap_t out = KCAP_INVALID;
	if (c->kind == PROXY_CAP_MEMORY) {
		struct import *imp;
		lock_acquire(&p->lock);
		imp = import_find(p, PROXY_CAP_MEMORY, c->ref);
		if (imp && imp->ds.size == c->size)
			out = imp->ds.cap;
		lock_release(&p->lock);
		if (!cap_valid(out))
			say(p, "%s passed a dataspace it never sent",
			    p->cfg.peer);
	} else if (c->kind == PROXY_CAP_OBJECT || c->kind == PROXY_CAP_SIGNAL) {
		import_standin(p, c, session, epoch, iface_name, &out);
	}
	return out;
}

/* Drops the exports and stand-ins of one session (`all`: of every one). */
void drop(struct proxy *p, uint32_t session, int all)
{
	lock_acquire(&p->lock);
	for (uint32_t i = 0; i < REF_SLOTS; i++)
		if (p->exports[i].kind &&
		    (all || p->exports[i].session == session))
			export_free(p, i);
	lock_release(&p->lock);
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct import *imp = &p->imports[i];
		int mine;
		lock_acquire(&p->lock);
		mine = imp->state == IMPORT_LIVE &&
		       (all || imp->session == session);
		if (mine)
			imp->state = IMPORT_RESERVED;
		if (mine && imp->kind == PROXY_CAP_MEMORY)
			p->import_bytes -= imp->ds.size;
		lock_release(&p->lock);
		if (!mine)
			continue;
		import_dissolve(imp);
		lock_acquire(&p->lock);
		imp->state = IMPORT_FREE;
		lock_release(&p->lock);
	}
}
