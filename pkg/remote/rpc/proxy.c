/*
 * The generic RPC proxy engine (proxy.h): the tables of exported objects
 * and stand-ins of one link, the forwarding invoke that every session and
 * stand-in object of the proxy is served with, the worker that replays
 * the peer's calls, and the link thread that alone talks to the link.
 *
 * Invariants (under p->lock):
 *  - an export's slot is in use in p->refs exactly while exports[slot].kind
 *    is non-zero; it owns its capability (and, for memory, the mapping and
 *    the shadow of what the peer was sent);
 *  - an import is FREE, RESERVED (being set up by one thread, outside the
 *    lock) or LIVE; only LIVE ones are dissolved by others;
 *  - at most one request of this node (p->pending) and one of the peer
 *    (p->busy) is in flight; a second one from the peer kills the link.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include <runtime/cap.h>
#include <runtime/clock.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/invariant.h>
#include <runtime/lock.h>
#include <runtime/semaphore.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

#include "iface_table.h"
#include "proxy.h"
#include "ref_table.h"

_Static_assert(PROXY_CAPS_MAX == KMSG_MAX_CAPS, "a message's capabilities cross");
_Static_assert(PROXY_DATA_MAX == KMSG_MAX_BYTES, "a message's bytes cross");
_Static_assert(PROXY_MSG_MAX == FRAME_PAYLOAD_MAX, "a proxy message is a link message");

#define IMPORTS_MAX      256u
#define IFACES_MAX       64u
#define CALL_TIMEOUT_MS  10000   /* a replayed call; below the keepalive's dead_ms */
#define POLL_MS          1       /* the link thread looks at its outbox this often */
#define SPIN_NS          2000000u  /* ... and without pause this long after a call came */
#define REFRESH_MS       100     /* dataspace copies are compared at least this often */
#define IMPORT_BYTES_MAX (16u << 20)  /* dataspace copies one peer may make us hold */
#define PLACEHOLDER      (-100)  /* capability index j decodes as PLACEHOLDER - j */

enum import_state { IMPORT_FREE, IMPORT_RESERVED, IMPORT_LIVE };

struct export {
	uint32_t         kind;     /* PROXY_CAP_*; 0: free */
	uint32_t         session;
	kcap_t           cap;
	struct dataspace ds;       /* MEMORY: mapped read-only */
	uint8_t         *shadow;   /* MEMORY: what the peer has */
	int              sent;     /* MEMORY: the shadow is the peer's */
};

struct import {
	enum import_state   state;
	uint32_t            kind;
	uint32_t            session;
	struct proxy_ref    remote;
	struct proxy       *proxy;
	kcap_t              cap;      /* what this node's clients get */
	rpc_object_t        obj;      /* OBJECT */
	struct proxy_target target;   /* OBJECT */
	signal_dispatcher_t sig;      /* SIGNAL */
	uint32_t            pending;  /* SIGNAL: counts not yet sent */
	struct dataspace    ds;       /* MEMORY: attached writable */
};

/* A message between a thread and the link thread. */
struct slot {
	int      full;
	uint32_t len;
	uint8_t  buf[PROXY_MSG_MAX];
};

struct proxy {
	struct proxy_config cfg;
	struct lock         lock;
	int                 up;
	uint32_t            epoch;      /* raised at every link up and down */
	uint32_t            next_tag;
	struct ref_table    refs;
	struct export       exports[REF_SLOTS];
	struct import       imports[IMPORTS_MAX];
	uint64_t            import_bytes;
	int                 signals_pending;
	/* this node's request (entrypoint thread) */
	struct slot         request;
	int                 pending, answered;
	uint32_t            request_tag;
	struct semaphore    answer_sem;
	struct proxy_msg    answer;     /* data in answer_buf */
	uint8_t             answer_buf[PROXY_MSG_MAX];
	/* the peer's request (worker thread) */
	struct slot         incoming;
	int                 busy;
	uint32_t            incoming_epoch;
	struct semaphore    work_sem;
	struct slot         reply;
	struct thread       worker;
	kmsg_t              fw_req, fw_rep;         /* entrypoint thread's */
	kmsg_t              wk_req, wk_rep;         /* worker's */
	rpc_value_t         wk_in[RPC_MAX_ARGS], wk_out[RPC_MAX_ARGS];
	uint8_t             wk_text[RPC_TEXT_BYTES], wk_store[RPC_TEXT_BYTES];
	uint64_t            busy_since;             /* link thread's: poll_ms() */
	uint8_t             rx[PROXY_MSG_MAX];      /* link thread's */
	uint8_t             tx[PROXY_MSG_MAX];
	uint8_t             tx_reply[PROXY_MSG_MAX], tx_request[PROXY_MSG_MAX];
	uint32_t            signal_counts[IMPORTS_MAX];
	uint8_t             chunk[PROXY_DS_CHUNK];
};

/* The table's interfaces with the forwarding invoke. Global because an
 * rpc_interface_t is what objects are served with and must outlive them;
 * written once by the first proxy_create(), read-only after. */
static rpc_interface_t forwarding[IFACES_MAX];
static unsigned forwarding_count;

static const struct proxy_target_of import_of;

/* Formats a line for the log the config names. */
__attribute__((format(printf, 2, 3)))
static void say(struct proxy *p, const char *fmt, ...)
{
	char line[256];
	va_list args;
	va_start(args, fmt);
	vsnprintf(line, sizeof line, fmt, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start just above
	va_end(args);
	p->cfg.log(p->cfg.log_ctx, line);
}

/* --- exports ------------------------------------------------------------ */

static uint64_t fresh_nonce(void)
{
	uint64_t n = 0;
	while (n == 0)
		if (RAND_bytes((unsigned char *)&n, sizeof n) != 1)
			abort();   /* no randomness: references would be guessable */
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
	if (cap_memory_size(e->cap, &bytes) || bytes == 0 || bytes > PROXY_DS_MAX) {
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
static void export_cap(struct proxy *p, kcap_t cap, uint32_t session,
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
			        p->cfg.peer, type == KCAP_TYPE_STREAM ? "a stream"
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
static struct export *export_find(struct proxy *p, struct proxy_ref ref,
                                  uint32_t kind, uint32_t session)
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

static const struct proxy_target_of import_of = { import_target };

static void on_standin_signal(signal_dispatcher_t *d, uint32_t count)
{
	struct import *imp = container_of(d, struct import, sig);
	struct proxy *p = imp->proxy;
	lock_acquire(&p->lock);
	imp->pending = count > UINT32_MAX - imp->pending ? UINT32_MAX
	                                                 : imp->pending + count;
	p->signals_pending = 1;
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

static struct import *import_reserve(struct proxy *p, uint32_t kind,
                                     uint32_t session, struct proxy_ref remote)
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

static struct import *import_find(struct proxy *p, uint32_t kind,
                                  struct proxy_ref remote)
{
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct import *imp = &p->imports[i];
		if (imp->state == IMPORT_LIVE && imp->kind == kind &&
		    imp->remote.slot == remote.slot && imp->remote.nonce == remote.nonce)
			return imp;
	}
	return NULL;
}

/* Serves a stand-in for an object or signal source of the peer (outside
 * the lock); *out is its capability, which the import keeps. */
static void import_standin(struct proxy *p, const struct proxy_cap *c,
                           uint32_t session, uint32_t epoch, const char *iface_name,
                           kcap_t *out)
{
	const rpc_interface_t *iface = iface_name ? iface_by_name(iface_name) : NULL;
	struct import *imp;
	int err;
	if (c->kind == PROXY_CAP_OBJECT && !iface) {
		say(p, "an object from %s is passed where the IDL says "
		        "plain cap (not cap<IFACE>): it does not cross", p->cfg.peer);
		return;
	}
	lock_acquire(&p->lock);
	imp = epoch == p->epoch ? import_reserve(p, c->kind, session, c->ref) : NULL;
	lock_release(&p->lock);
	if (!imp)
		return;
	if (c->kind == PROXY_CAP_OBJECT) {
		imp->target = (struct proxy_target){ p, c->ref, session, epoch };
		err = entrypoint_manage(p->cfg.ep, &imp->obj, proxy_iface(iface),
		                        &import_of, &imp->cap);
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
	if (!err)                 /* the link went meanwhile */
		import_dissolve(imp);
	lock_acquire(&p->lock);
	imp->state = IMPORT_FREE;
	lock_release(&p->lock);
}

/* The capability on this node for what the peer passed as *c (KCAP_INVALID
 * for none, or one that cannot cross); it stays the import table's. */
static kcap_t import_cap(struct proxy *p, const struct proxy_cap *c,
                         uint32_t session, uint32_t epoch, const char *iface_name)
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
			say(p, "%s passed a dataspace it never sent", p->cfg.peer);
	} else if (c->kind == PROXY_CAP_OBJECT || c->kind == PROXY_CAP_SIGNAL) {
		import_standin(p, c, session, epoch, iface_name, &out);
	}
	return out;
}

/* Drops the exports and stand-ins of one session (`all`: of every one). */
static void drop(struct proxy *p, uint32_t session, int all)
{
	lock_acquire(&p->lock);
	for (uint32_t i = 0; i < REF_SLOTS; i++)
		if (p->exports[i].kind && (all || p->exports[i].session == session))
			export_free(p, i);
	lock_release(&p->lock);
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct import *imp = &p->imports[i];
		int mine;
		lock_acquire(&p->lock);
		mine = imp->state == IMPORT_LIVE && (all || imp->session == session);
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

/* --- this node's requests (entrypoint thread) --------------------------- */

/* Sends m (its tag is set here) and waits for the answer in p->answer.
 * 0, or KERR_REVOKED when there is no link or it went meanwhile. */
static int request(struct proxy *p, struct proxy_msg *m, uint32_t *epoch)
{
	long len;
	int rc;
	lock_acquire(&p->lock);
	if (!p->up) {
		lock_release(&p->lock);
		return KERR_REVOKED;
	}
	m->tag = ++p->next_tag;
	len = proxy_encode(m, p->request.buf);
	INVARIANT(len > 0);   /* callers stay within the bounds */
	p->request.len = (uint32_t)len;
	p->request.full = 1;
	p->request_tag = m->tag;
	p->pending = 1;
	p->answered = 0;
	if (epoch)
		*epoch = p->epoch;
	lock_release(&p->lock);
	semaphore_down(&p->answer_sem);
	lock_acquire(&p->lock);
	rc = p->answered ? 0 : KERR_REVOKED;
	lock_release(&p->lock);
	return rc;
}

/* Whether `cap` is this node's stand-in for an object of the peer, of the
 * target's session and link: then it goes back as the peer's own
 * reference (YOURS), so the peer calls its object directly. Entrypoint
 * thread (entrypoint_lookup), lock held. */
static int standin_of_peer(struct proxy *p, kcap_t cap, const struct proxy_target *t,
                           struct proxy_cap *out)
{
	rpc_object_t *o;
	struct import *imp;
	if (!entrypoint_lookup(p->cfg.ep, cap, &o) || o->ops != &import_of)
		return 0;
	imp = container_of(o, struct import, obj);
	if (imp->state != IMPORT_LIVE || imp->session != t->session ||
	    imp->target.epoch != t->epoch)
		return 0;
	*out = (struct proxy_cap){ PROXY_CAP_YOURS, imp->remote, 0 };
	return 1;
}

/* The invoke of every forwarded object: the entrypoint decoded and checked
 * the call against the descriptor; it is encoded again (table-driven, the
 * same bytes), sent, and the reply checked against the descriptor before
 * the entrypoint encodes it for the caller. */
static int forward_invoke(const void *ops, rpc_object_t *obj, uint32_t opcode,
                          const rpc_value_t *in, rpc_value_t *out)
{
	struct proxy_target *t = ((const struct proxy_target_of *)ops)->of(obj);
	struct proxy *p = t->proxy;
	const rpc_interface_t *iface = obj->iface;
	const rpc_func_desc_t *f = &iface->funcs[opcode];
	struct proxy_msg m = { .kind = PROXY_CALL, .session = t->session, .ref = t->ref };
	int status;
	if (rpc_request_encode(iface, f, in, &p->fw_req))
		return RPC_ERR_SERVER;
	lock_acquire(&p->lock);
	if (!p->up || t->epoch != p->epoch) {
		lock_release(&p->lock);
		return RPC_ERR_SERVER;   /* the session is being revoked */
	}
	for (uint32_t j = 0; j < p->fw_req.cap_count; j++) {
		kcap_t copy = KCAP_INVALID;
		if (standin_of_peer(p, p->fw_req.caps[j], t, &m.caps[j]))
			continue;
		if (cap_copy(p->fw_req.caps[j], &copy))
			copy = KCAP_INVALID;
		export_cap(p, copy, t->session, &m.caps[j]);
	}
	lock_release(&p->lock);
	m.cap_count = p->fw_req.cap_count;
	m.data = p->fw_req.data;
	m.len = p->fw_req.size;
	if (request(p, &m, NULL)) {
		say(p, "%s.%s: no link to %s", iface->name, f->name,
		        p->cfg.peer);
		return RPC_ERR_SERVER;
	}
	if (p->answer.kind != PROXY_REPLY || p->answer.status != 0) {
		say(p, "%s.%s failed on %s: %s", iface->name, f->name,
		        p->cfg.peer, rpc_strerror(NULL, p->answer.status));
		return RPC_ERR_SERVER;
	}
	p->fw_rep.size = p->answer.len;
	memcpy(p->fw_rep.data, p->answer.data, p->answer.len);
	p->fw_rep.cap_count = p->answer.cap_count;
	for (uint32_t j = 0; j < p->answer.cap_count; j++)
		p->fw_rep.caps[j] = (kcap_t){ PLACEHOLDER - (int32_t)j };
	status = rpc_reply_decode(iface, f, &p->fw_rep, out);
	for (uint32_t k = 0; status == 0 && k < f->out_count; k++)
		if (f->out[k].type == RPC_CAP && out[k].cap.sel <= PLACEHOLDER)
			out[k].cap = import_cap(p, &p->answer.caps[PLACEHOLDER - out[k].cap.sel],
			                        t->session, t->epoch, f->out[k].iface);
	return status;
}

const rpc_interface_t *proxy_iface(const rpc_interface_t *iface)
{
	for (unsigned i = 0; i < forwarding_count; i++)
		if (forwarding[i].id == iface->id)
			return &forwarding[i];
	return NULL;
}

int proxy_open(struct proxy *p, uint32_t session, const char *args,
               struct proxy_target *target, char *why, size_t why_len)
{
	struct proxy_msg m = { .kind = PROXY_OPEN, .session = session,
	                       .data = (const uint8_t *)args,
	                       .len = (uint32_t)strnlen(args, PROXY_ARGS_MAX + 1) };
	uint32_t epoch = 0;
	if (m.len > PROXY_ARGS_MAX) {
		snprintf(why, why_len, "session arguments over %u bytes", PROXY_ARGS_MAX);
		return KERR_INVALID;
	}
	if (request(p, &m, &epoch)) {
		snprintf(why, why_len, "no link to %s", p->cfg.peer);
		return KERR_REVOKED;
	}
	if (p->answer.kind != PROXY_OPENED || p->answer.status != 0) {
		snprintf(why, why_len, "%s refused: %.*s", p->cfg.peer,
		         (int)p->answer.len, (const char *)p->answer.data);
		return KERR_DENIED;
	}
	*target = (struct proxy_target){ p, p->answer.ref, session, epoch };
	return 0;
}

int proxy_target_live(const struct proxy_target *t)
{
	struct proxy *p = t->proxy;
	int live;
	lock_acquire(&p->lock);
	live = p->up && t->epoch == p->epoch;
	lock_release(&p->lock);
	return live;
}

void proxy_close(struct proxy *p, uint32_t session)
{
	struct proxy_msg m = { .kind = PROXY_CLOSE, .session = session };
	request(p, &m, NULL);   /* without a link the peer closed it already */
	drop(p, session, 0);
}

/* --- the peer's requests (worker thread) -------------------------------- */

/* Points out-values at their share of the worker's store. */
static void prepare_outputs(struct proxy *p, const rpc_func_desc_t *f)
{
	uint32_t pos = 0;
	for (uint32_t i = 0; i < f->out_count; i++) {
		rpc_value_t *v = &p->wk_out[i];
		memset(v, 0, sizeof *v);
		v->cap = KCAP_INVALID;
		if (f->out[i].type != RPC_STRING && f->out[i].type != RPC_BYTES)
			continue;
		INVARIANT(pos + f->out[i].max < RPC_TEXT_BYTES);  /* rpcgen keeps the bounds */
		v->buf = p->wk_store + pos;
		pos += f->out[i].max + 1;
	}
}

/* A copy of this node's own object that the peer handed back (YOURS), for
 * the caller to close; KCAP_INVALID when the reference names none of this
 * session. */
static kcap_t own_object(struct proxy *p, const struct proxy_cap *c, uint32_t session)
{
	struct export *e;
	kcap_t copy = KCAP_INVALID;
	lock_acquire(&p->lock);
	e = export_find(p, c->ref, PROXY_CAP_OBJECT, session);
	if (!e || cap_copy(e->cap, &copy))
		copy = KCAP_INVALID;
	lock_release(&p->lock);
	return copy;
}

/* Replays the peer's CALL on the real object; fills *a (REPLY). */
static void execute_call(struct proxy *p, const struct proxy_msg *m,
                         uint32_t epoch, struct proxy_msg *a)
{
	const rpc_interface_t *iface = NULL;
	const rpc_func_desc_t *f = NULL;
	struct export *e;
	kcap_t target = KCAP_INVALID, lent[PROXY_CAPS_MAX];
	uint32_t lent_count = 0;
	int status;
	lock_acquire(&p->lock);
	e = export_find(p, m->ref, PROXY_CAP_OBJECT, m->session);
	if (!e || cap_copy(e->cap, &target))
		target = KCAP_INVALID;
	lock_release(&p->lock);
	if (!cap_valid(target)) {
		a->status = KERR_REVOKED;   /* a stale or foreign reference */
		return;
	}
	p->wk_req.size = m->len;
	memcpy(p->wk_req.data, m->data, m->len);
	p->wk_req.cap_count = m->cap_count;
	for (uint32_t j = 0; j < m->cap_count; j++)
		p->wk_req.caps[j] = (kcap_t){ PLACEHOLDER - (int32_t)j };
	if (m->len >= 4)
		iface = iface_by_id(frame_get_u32(m->data));
	status = iface ? rpc_request_decode(iface, &p->wk_req, &f, p->wk_in, p->wk_text)
	               : RPC_ERR_WRONG_INTERFACE;
	if (!status) {
		for (uint32_t k = 0; k < f->in_count; k++) {
			const struct proxy_cap *c;
			if (f->in[k].type != RPC_CAP || p->wk_in[k].cap.sel > PLACEHOLDER)
				continue;
			c = &m->caps[PLACEHOLDER - p->wk_in[k].cap.sel];
			p->wk_in[k].cap = c->kind == PROXY_CAP_YOURS
			                  ? (lent[lent_count++] = own_object(p, c, m->session))
			                  : import_cap(p, c, m->session, epoch, f->in[k].iface);
		}
		prepare_outputs(p, f);
		status = rpc_call_timeout(target, iface, f->opcode, p->wk_in, p->wk_out,
		                          CALL_TIMEOUT_MS);
	}
	for (uint32_t j = 0; j < lent_count; j++)
		cap_close(lent[j]);
	cap_close(target);
	if (status < 0) {
		a->status = status;
		return;
	}
	for (uint32_t i = 0; f && status == 0 && i < f->out_count; i++)
		if (f->out[i].type == RPC_STRING || f->out[i].type == RPC_BYTES)
			p->wk_out[i].data = p->wk_out[i].buf;
	if (rpc_reply_encode(f, (uint32_t)status, p->wk_out, &p->wk_rep))
		rpc_reply_encode(NULL, RPC_ERR_SERVER, NULL, &p->wk_rep);
	lock_acquire(&p->lock);
	for (uint32_t j = 0; j < p->wk_rep.cap_count; j++)   /* fresh, ours */
		export_cap(p, p->wk_rep.caps[j], m->session, &a->caps[j]);
	lock_release(&p->lock);
	a->cap_count = p->wk_rep.cap_count;
	a->data = p->wk_rep.data;
	a->len = p->wk_rep.size;
}

/* Opens a session at this node's parent for the peer; fills *a (OPENED). */
static void execute_open(struct proxy *p, const struct proxy_msg *m,
                         struct proxy_msg *a)
{
	char args[PROXY_ARGS_MAX + 1], why[PROXY_WHY_MAX + 1] = "";
	kcap_t cap = KCAP_INVALID, copy = KCAP_INVALID;
	struct proxy_cap out = { 0 };
	a->kind = PROXY_OPENED;
	a->status = 1;
	memcpy(args, m->data, m->len);
	args[m->len] = 0;
	if (!p->cfg.server || strlen(args) != m->len) {
		snprintf(why, sizeof why, "%s", p->cfg.server ? "arguments hold a NUL"
		                                             : "this node serves no sessions");
	} else if (p->cfg.server->open(p->cfg.ctx, m->session, args, &cap, why,
	                               sizeof why) == 0) {
		lock_acquire(&p->lock);
		if (!cap_copy(cap, &copy))
			export_cap(p, copy, m->session, &out);
		lock_release(&p->lock);
		if (out.kind == PROXY_CAP_OBJECT) {
			a->status = 0;
			a->ref = out.ref;
		} else {
			snprintf(why, sizeof why, "the session capability does not cross");
			p->cfg.server->close(p->cfg.ctx, m->session);
		}
	}
	snprintf((char *)p->wk_rep.data, PROXY_WHY_MAX + 1, "%s", a->status ? why : "");
	a->data = p->wk_rep.data;
	a->len = (uint32_t)strlen((char *)p->wk_rep.data);
}

static void worker(void *arg)
{
	struct proxy *p = arg;
	for (;;) {
		struct proxy_msg m, a;
		uint32_t epoch;
		long len;
		semaphore_down(&p->work_sem);
		lock_acquire(&p->lock);
		epoch = p->incoming_epoch;
		lock_release(&p->lock);
		/* the link thread filled `incoming` and does not touch it while busy */
		if (proxy_decode(p->incoming.buf, p->incoming.len, &m) != PROXY_OK)
			continue;   /* checked by the link thread already */
		memset(&a, 0, sizeof a);
		a.kind = PROXY_REPLY;
		a.tag = m.tag;
		a.session = m.session;
		if (m.kind == PROXY_OPEN) {
			execute_open(p, &m, &a);
		} else if (m.kind == PROXY_CALL) {
			execute_call(p, &m, epoch, &a);
		} else {   /* CLOSE */
			drop(p, m.session, 0);
			if (p->cfg.server)
				p->cfg.server->close(p->cfg.ctx, m.session);
		}
		lock_acquire(&p->lock);
		if (epoch == p->epoch && p->up) {
			len = proxy_encode(&a, p->reply.buf);
			INVARIANT(len > 0);
			p->reply.len = (uint32_t)len;
			p->reply.full = 1;
		}
		p->busy = 0;
		lock_release(&p->lock);
	}
}

/* --- the link thread ---------------------------------------------------- */

/* Sends what changed in each dataspace export since the peer got it. A
 * slot freed and taken again meanwhile (another nonce) is left for the
 * next pass, which sends it whole. */
static int refresh_exports(struct proxy *p, link_t *l)
{
	for (uint32_t i = 0; i < REF_SLOTS; i++) {
		uint64_t nonce = p->refs.nonce[i];   /* read again under the lock */
		for (uint32_t off = 0;; off += PROXY_DS_CHUNK) {
			struct export *e = &p->exports[i];
			struct proxy_msg m = { .kind = PROXY_DS };
			uint32_t n;
			long len;
			lock_acquire(&p->lock);
			if (e->kind != PROXY_CAP_MEMORY || p->refs.nonce[i] != nonce ||
			    off >= e->ds.size) {
				if (e->kind == PROXY_CAP_MEMORY && p->refs.nonce[i] == nonce)
					e->sent = 1;
				lock_release(&p->lock);
				break;
			}
			n = (uint32_t)(e->ds.size - off < PROXY_DS_CHUNK ? e->ds.size - off
			                                                 : PROXY_DS_CHUNK);
			if (e->sent && memcmp(e->shadow + off, (uint8_t *)e->ds.addr + off, n) == 0) {
				lock_release(&p->lock);
				continue;
			}
			memcpy(e->shadow + off, (uint8_t *)e->ds.addr + off, n);
			memcpy(p->chunk, e->shadow + off, n);
			m.session = e->session;
			m.ref = (struct proxy_ref){ i, nonce };
			m.size = (uint32_t)e->ds.size;
			m.offset = off;
			m.data = p->chunk;
			m.len = n;
			lock_release(&p->lock);
			len = proxy_encode(&m, p->tx);
			INVARIANT(len > 0);
			if (link_send(l, REMOTE_RPC_CHANNEL, p->tx, (uint32_t)len, LINK_STALL_MS))
				return -1;
		}
	}
	return 0;
}

/* Takes the counts submitted to signal stand-ins so far (lock held). */
static int take_signals(struct proxy *p)
{
	int any = 0;
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct import *imp = &p->imports[i];
		p->signal_counts[i] = 0;
		if (imp->state != IMPORT_LIVE || imp->kind != PROXY_CAP_SIGNAL)
			continue;
		p->signal_counts[i] = imp->pending;
		imp->pending = 0;
		any |= p->signal_counts[i] != 0;
	}
	return any;
}

/* Sends the counts take_signals() took. A stand-in gone meanwhile only
 * costs the peer a SIGNAL it drops. */
static int send_signals(struct proxy *p, link_t *l)
{
	for (unsigned i = 0; i < IMPORTS_MAX; i++) {
		struct proxy_msg m = { .kind = PROXY_SIGNAL };
		long len;
		if (!p->signal_counts[i])
			continue;
		lock_acquire(&p->lock);
		m.session = p->imports[i].session;
		m.ref = p->imports[i].remote;
		lock_release(&p->lock);
		m.count = p->signal_counts[i];
		len = proxy_encode(&m, p->tx);
		INVARIANT(len > 0);
		if (link_send(l, REMOTE_RPC_CHANNEL, p->tx, (uint32_t)len, LINK_STALL_MS))
			return -1;
	}
	return 0;
}

/* Takes a slot's message into buf (lock held); its length, or 0. */
static uint32_t take_slot(struct slot *s, uint8_t *buf)
{
	uint32_t len = s->full ? s->len : 0;
	if (len)
		memcpy(buf, s->buf, len);
	s->full = 0;
	return len;
}

/* Everything waiting to go. What the answers and signals are taken first,
 * then the dataspace changes sent, then they: whatever a server wrote
 * before its reply or signal reaches the peer's copy before that reply or
 * signal does. */
static int pump_out(struct proxy *p, link_t *l, uint64_t *last_refresh)
{
	uint32_t reply_len, request_len;
	int signals;
	uint64_t now = clock_now_ns() / 1000000u;
	lock_acquire(&p->lock);
	reply_len = take_slot(&p->reply, p->tx_reply);
	request_len = take_slot(&p->request, p->tx_request);
	signals = p->signals_pending && take_signals(p);
	p->signals_pending = 0;
	lock_release(&p->lock);
	if (!reply_len && !request_len && !signals && now - *last_refresh < REFRESH_MS)
		return 0;
	*last_refresh = now;
	if (refresh_exports(p, l) ||
	    (reply_len && link_send(l, REMOTE_RPC_CHANNEL, p->tx_reply, reply_len, LINK_STALL_MS)) ||
	    (request_len && link_send(l, REMOTE_RPC_CHANNEL, p->tx_request, request_len,
	                              LINK_STALL_MS)))
		return -1;
	return signals ? send_signals(p, l) : 0;
}

/* A DS message: creates or updates this node's copy. */
static const char *on_ds(struct proxy *p, const struct proxy_msg *m)
{
	struct import *imp;
	lock_acquire(&p->lock);
	imp = import_find(p, PROXY_CAP_MEMORY, m->ref);
	if (!imp) {
		if (p->import_bytes + m->size > IMPORT_BYTES_MAX ||
		    !(imp = import_reserve(p, PROXY_CAP_MEMORY, m->session, m->ref))) {
			lock_release(&p->lock);
			return "too many dataspace copies";
		}
		if (dataspace_alloc(&imp->ds, p->cfg.pd, m->size) ||
		    dataspace_attach(&imp->ds, true)) {
			dataspace_release(&imp->ds);
			imp->state = IMPORT_FREE;
			lock_release(&p->lock);
			return "no RAM for a dataspace copy";
		}
		p->import_bytes += m->size;
		imp->state = IMPORT_LIVE;
	}
	if (imp->ds.size != m->size) {
		lock_release(&p->lock);
		return "a dataspace changed its size";
	}
	memcpy((uint8_t *)imp->ds.addr + m->offset, m->data, m->len);
	lock_release(&p->lock);
	return NULL;
}

/* The worker still replays a call of a link that went (for at most the
 * call timeout): a request of the new link is refused at once, and the
 * peer's caller sees it fail (KERR_REVOKED) instead of the link going. */
static const char *refuse_busy(struct proxy *p, link_t *l, const struct proxy_msg *m)
{
	static const char why[] = "busy with a call of the lost link";
	struct proxy_msg a = { .kind = m->kind == PROXY_OPEN ? PROXY_OPENED : PROXY_REPLY,
	                       .tag = m->tag, .session = m->session };
	long len;
	a.status = m->kind == PROXY_OPEN ? 1 : KERR_REVOKED;
	if (m->kind == PROXY_OPEN) {
		a.data = (const uint8_t *)why;
		a.len = sizeof why - 1;
	}
	len = proxy_encode(&a, p->tx);
	INVARIANT(len > 0);
	return link_send(l, REMOTE_RPC_CHANNEL, p->tx, (uint32_t)len, LINK_STALL_MS)
	       ? link_error(l) : NULL;
}

/* Handles one received message; returns why the link must go, or NULL. */
static const char *on_message(struct proxy *p, link_t *l, const uint8_t *buf,
                              uint32_t len)
{
	struct proxy_msg m;
	enum proxy_status st = proxy_decode(buf, len, &m);
	struct export *e;
	if (st != PROXY_OK)
		return proxy_strerror(st);
	switch (m.kind) {
	case PROXY_OPEN: case PROXY_CALL: case PROXY_CLOSE:
		lock_acquire(&p->lock);
		if (p->busy && p->incoming_epoch != p->epoch) {
			lock_release(&p->lock);
			return refuse_busy(p, l, &m);
		}
		if (p->busy) {
			lock_release(&p->lock);
			return "a second request while one is pending";
		}
		p->busy = 1;
		p->incoming_epoch = p->epoch;
		memcpy(p->incoming.buf, buf, len);
		p->incoming.len = len;
		lock_release(&p->lock);
		semaphore_up(&p->work_sem);
		return NULL;
	case PROXY_OPENED: case PROXY_REPLY:
		lock_acquire(&p->lock);
		if (!p->pending || m.tag != p->request_tag) {
			lock_release(&p->lock);
			return "an answer to no request";
		}
		memcpy(p->answer_buf, buf, len);
		proxy_decode(p->answer_buf, len, &p->answer);
		p->pending = 0;
		p->answered = 1;
		lock_release(&p->lock);
		semaphore_up(&p->answer_sem);
		return NULL;
	case PROXY_SIGNAL:
		lock_acquire(&p->lock);
		e = export_find(p, m.ref, PROXY_CAP_SIGNAL, m.session);
		if (e)
			signal_submit(e->cap, m.count);   /* never blocks for long */
		lock_release(&p->lock);
		return NULL;   /* a signal for a context gone meanwhile: dropped */
	case PROXY_DS:
		return on_ds(p, &m);
	default:
		return "an unexpected message";
	}
}

/* The link went: fail the pending request, drop every reference. */
static void link_down(struct proxy *p)
{
	lock_acquire(&p->lock);
	p->up = 0;
	p->epoch++;
	p->request.full = 0;
	p->reply.full = 0;
	if (p->pending) {
		p->pending = 0;
		semaphore_up(&p->answer_sem);
	}
	lock_release(&p->lock);
	drop(p, 0, 1);
	if (p->cfg.server)
		p->cfg.server->close_all(p->cfg.ctx);
	else if (p->cfg.link_down)
		p->cfg.link_down(p->cfg.ctx);
}

/* How long the link thread may wait for the link before it looks at its
 * outbox again: while the worker replays a call, whose answer is due any
 * moment, not at all for SPIN_NS; else POLL_MS. */
static int poll_ms(struct proxy *p)
{
	uint64_t now = clock_now_ns();
	int busy;
	lock_acquire(&p->lock);
	busy = p->busy;
	lock_release(&p->lock);
	if (!busy) {
		p->busy_since = 0;
		return POLL_MS;
	}
	if (!p->busy_since)
		p->busy_since = now;
	return now - p->busy_since < SPIN_NS ? 0 : POLL_MS;
}

void proxy_run(struct proxy *p, link_t *l)
{
	uint64_t last_refresh = 0;
	const char *why = NULL;
	int rc = 0;
	lock_acquire(&p->lock);
	p->up = 1;
	p->epoch++;
	lock_release(&p->lock);
	while (!rc && !why) {
		uint32_t ch, len;
		rc = pump_out(p, l, &last_refresh);
		if (rc)
			break;
		rc = link_recv(l, &ch, p->rx, &len, poll_ms(p));
		if (rc == LINK_ERR_TIMEOUT) {
			rc = 0;
			continue;
		}
		if (!rc)
			why = ch == REMOTE_RPC_CHANNEL ? on_message(p, l, p->rx, len)
			                               : "a message on another channel";
	}
	say(p, "link to %s down: %s", p->cfg.peer,
	        why ? why : link_error(l));
	link_close(l);
	link_down(p);
}

int proxy_create(struct proxy **out, const struct proxy_config *cfg)
{
	struct proxy *p = calloc(1, sizeof *p);
	if (!p)
		return KERR_NOMEM;
	if (!forwarding_count) {
		for (unsigned i = 0; i < rpc_iface_table_count && i < IFACES_MAX; i++) {
			forwarding[i] = *rpc_iface_table[i];
			forwarding[i].invoke = forward_invoke;
		}
		forwarding_count = rpc_iface_table_count < IFACES_MAX ? rpc_iface_table_count
		                                                      : IFACES_MAX;
	}
	p->cfg = *cfg;
	lock_init(&p->lock);
	semaphore_init(&p->answer_sem, 0);
	semaphore_init(&p->work_sem, 0);
	for (uint32_t i = 0; i < REF_SLOTS; i++) {
		p->exports[i].cap = KCAP_INVALID;
		p->exports[i].ds = DATASPACE_EMPTY;
	}
	if (thread_start(&p->worker, "worker", (size_t)256 * 1024, worker, p)) {
		free(p);
		return KERR_NOMEM;
	}
	*out = p;
	return 0;
}
