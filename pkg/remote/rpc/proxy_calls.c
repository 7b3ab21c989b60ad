/*
 * Calls across the link (proxy_impl.h): this node's requests (OPEN, CALL,
 * CLOSE) from its entrypoint through the forwarding invoke every session
 * and stand-in object is served with, and the worker that replays the
 * peer's requests on the real objects, both checked against the
 * descriptor table before they act.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <runtime/cap.h>
#include <runtime/container_of.h>
#include <runtime/invariant.h>

#include "iface_table.h"
#include "proxy_impl.h"

/* The table's interfaces with the forwarding invoke. Global because an
 * rpc_interface_t is what objects are served with and must outlive them;
 * written once by the first proxy_create() (forwarding_init), read-only
 * after. */
#define IFACES_MAX 64u

static rpc_interface_t forwarding[IFACES_MAX];
static unsigned forwarding_count;

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
	INVARIANT(len > 0); /* callers stay within the bounds */
	p->request.len = (uint32_t)len;
	p->request.full = 1;
	wake_link(p);
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
static int standin_of_peer(struct proxy *p, kcap_t cap,
                           const struct proxy_target *t, struct proxy_cap *out)
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
	struct proxy_msg m = { .kind = PROXY_CALL,
		               .session = t->session,
		               .ref = t->ref };
	int status;
	if (rpc_request_encode(iface, f, in, &p->fw_req))
		return RPC_ERR_SERVER;
	lock_acquire(&p->lock);
	if (!p->up || t->epoch != p->epoch) {
		lock_release(&p->lock);
		return RPC_ERR_SERVER; /* the session is being revoked */
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
			out[k].cap = import_cap(
				p,
				&p->answer.caps[PLACEHOLDER - out[k].cap.sel],
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
	struct proxy_msg m = { .kind = PROXY_OPEN,
		               .session = session,
		               .data = (const uint8_t *)args,
		               .len = (uint32_t)strnlen(args,
		                                        PROXY_ARGS_MAX + 1) };
	uint32_t epoch = 0;
	if (m.len > PROXY_ARGS_MAX) {
		snprintf(why, why_len, "session arguments over %u bytes",
		         PROXY_ARGS_MAX);
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
	request(p, &m, NULL); /* without a link the peer closed it already */
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
		INVARIANT(pos + f->out[i].max <
		          RPC_TEXT_BYTES); /* rpcgen keeps the bounds */
		v->buf = p->wk_store + pos;
		pos += f->out[i].max + 1;
	}
}

/* A copy of this node's own object that the peer handed back (YOURS), for
 * the caller to close; KCAP_INVALID when the reference names none of this
 * session. */
static kcap_t own_object(struct proxy *p, const struct proxy_cap *c,
                         uint32_t session)
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
		a->status = KERR_REVOKED; /* a stale or foreign reference */
		return;
	}
	p->wk_req.size = m->len;
	memcpy(p->wk_req.data, m->data, m->len);
	p->wk_req.cap_count = m->cap_count;
	for (uint32_t j = 0; j < m->cap_count; j++)
		p->wk_req.caps[j] = (kcap_t){ PLACEHOLDER - (int32_t)j };
	if (m->len >= 4)
		iface = iface_by_id(frame_get_u32(m->data));
	status = iface ? rpc_request_decode(iface, &p->wk_req, &f, p->wk_in,
	                                    p->wk_text)
	               : RPC_ERR_WRONG_INTERFACE;
	if (!status) {
		for (uint32_t k = 0; k < f->in_count; k++) {
			const struct proxy_cap *c;
			if (f->in[k].type != RPC_CAP ||
			    p->wk_in[k].cap.sel > PLACEHOLDER)
				continue;
			c = &m->caps[PLACEHOLDER - p->wk_in[k].cap.sel];
			p->wk_in[k].cap =
				c->kind == PROXY_CAP_YOURS
					? (lent[lent_count++] =
			                           own_object(p, c, m->session))
					: import_cap(p, c, m->session, epoch,
			                             f->in[k].iface);
		}
		prepare_outputs(p, f);
		status = rpc_call_timeout(target, iface, f->opcode, p->wk_in,
		                          p->wk_out, CALL_TIMEOUT_MS);
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
	for (uint32_t j = 0; j < p->wk_rep.cap_count; j++) /* fresh, ours */
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
		snprintf(why, sizeof why, "%s",
		         p->cfg.server ? "arguments hold a NUL"
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
			snprintf(why, sizeof why,
			         "the session capability does not cross");
			p->cfg.server->close(p->cfg.ctx, m->session);
		}
	}
	snprintf((char *)p->wk_rep.data, PROXY_WHY_MAX + 1, "%s",
	         a->status ? why : "");
	a->data = p->wk_rep.data;
	a->len = (uint32_t)strlen((char *)p->wk_rep.data);
}

void worker(void *arg)
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
		if (proxy_decode(p->incoming.buf, p->incoming.len, &m) !=
		    PROXY_OK)
			continue; /* checked by the link thread already */
		memset(&a, 0, sizeof a);
		a.kind = PROXY_REPLY;
		a.tag = m.tag;
		a.session = m.session;
		if (m.kind == PROXY_OPEN) {
			execute_open(p, &m, &a);
		} else if (m.kind == PROXY_CALL) {
			execute_call(p, &m, epoch, &a);
		} else { /* CLOSE */
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
			wake_link(p);
		}
		p->busy = 0;
		lock_release(&p->lock);
	}
}

void forwarding_init(void)
{
	if (forwarding_count)
		return;
	for (unsigned i = 0; i < rpc_iface_table_count && i < IFACES_MAX; i++) {
		forwarding[i] = *rpc_iface_table[i];
		forwarding[i].invoke = forward_invoke;
	}
	forwarding_count = rpc_iface_table_count < IFACES_MAX
	                           ? rpc_iface_table_count
	                           : IFACES_MAX;
}
