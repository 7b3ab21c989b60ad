/*
 * Endpoints, calls and replies (kernel/kernel.h) over the kernel's
 * messages in the kmsg_t form (SYS_MCALL, SYS_MREPLY): the kernel copies
 * a kmsg_t from the caller's memory into the receiver's and gives the
 * receiver its own selectors for the capabilities.
 *
 * A kendpoint_t keeps the owner's own selector of the endpoint, which
 * dissolving, adding to a waitset and kendpoint_owns() name; the
 * capability handed out is a second selector, the creator's to close.
 *
 * A reply token (kreply_t) names the receiving thread (its tid) and the
 * request it came with: the kernel keeps one caller per server thread, so
 * a token is good until that thread receives its next request (waiting
 * for signals meanwhile is fine), and a reply with an older token goes to
 * a caller the kernel has already failed (KERR_REVOKED): it returns 0 and
 * is dropped, as kernel.h says of a caller that has gone.
 *
 * Messages cross through the thread's registered IPC buffer (SYS_IPCBUF,
 * ../ipcbuf.h): the request and the reply are copied into and out of it
 * here (the head and `size` bytes only), and the kernel copies between
 * buffers frame to frame. A reply without capabilities is held back in the
 * buffer until the thread's next system call, which is its next wait in
 * an entrypoint: then reply and wait are one system call (SYS_REPLY_WAIT,
 * waitset.c). Without a buffer (no frames for it) messages go from and to
 * the caller's memory as before.
 *
 * Timeouts are the kernel's, in ticks of 10 ms rounded up.
 */
#include "lib.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct kendpoint {
	kcap_t own;
};

/* Per thread: the wait the current reply token belongs to, and whether
 * it was answered. Thread-local: a token is the receiving thread's. */
static _Thread_local uint32_t reply_generation;
static _Thread_local int reply_pending;

/* The thread's IPC buffer: 0 until asked, (kmsg_t *)-1 if refused. */
static _Thread_local kmsg_t *ipcbuf;
_Thread_local int lib_reply_held;

kmsg_t *lib_ipcbuf(void)
{
	if (!ipcbuf) {
		long va = sys_call2(SYS_IPCBUF, 0, 0);
		ipcbuf = va < 0 ? (kmsg_t *)-1 : (kmsg_t *)va;
	}
	return ipcbuf == (kmsg_t *)-1 ? 0 : ipcbuf;
}

void lib_msg_copy(kmsg_t *to, const kmsg_t *from)
{
	size_t size = from->size <= KMSG_MAX_BYTES ? from->size
	                                           : KMSG_MAX_BYTES;
	memcpy(to, from, offsetof(kmsg_t, data) + size);
}

void lib_reply_send(void)
{
	lib_reply_held = 0;
	sys_call2(SYS_MREPLY, (long)lib_ipcbuf_out(ipcbuf), 0);
}

int kendpoint_create(kendpoint_t **ep, kcap_t *cap)
{
	struct kendpoint *e = malloc(sizeof *e);
	if (!e)
		return KERR_NOMEM;
	long own = sys_ep_create();
	long handed = own < 0 ? own : sys_cap_copy(own);
	if (handed < 0) {
		if (own >= 0) {
			sys_call2(SYS_EP_DISSOLVE, own, 0);
			sys_cap_close(own);
		}
		free(e);
		return (int)handed;
	}
	e->own.sel = (int32_t)own;
	*ep = e;
	cap->sel = (int32_t)handed;
	return 0;
}

void kendpoint_dissolve(kendpoint_t *ep)
{
	if (!ep)
		return;
	sys_call2(SYS_EP_DISSOLVE, ep->own.sel, 0);
	sys_cap_close(ep->own.sel);
	free(ep);
}

int kendpoint_owns(const kendpoint_t *ep, kcap_t cap)
{
	return kcap_valid(cap) && sys_cap_same(ep->own.sel, cap.sel) == 1;
}

kcap_t lib_endpoint_selector(const kendpoint_t *ep)
{
	return ep->own;
}

static int msg_ok(const kmsg_t *msg)
{
	return msg->size <= KMSG_MAX_BYTES && msg->cap_count <= KMSG_MAX_CAPS;
}

int kipc_call(kcap_t cap, const kmsg_t *request, kmsg_t *reply, int timeout_ms)
{
	if (!msg_ok(request))
		return KERR_TOO_BIG;
	kmsg_t *buf = lib_ipcbuf();
	if (!buf)
		return (int)sys_call4(SYS_MCALL, cap.sel, (long)request,
		                      (long)reply, timeout_ms);
	kmsg_t *out = lib_ipcbuf_out(buf);
	SYS_BEFORE(); /* a held reply leaves the buffer before the request enters */
	lib_msg_copy(out, request);
	int err = (int)sys_call4(SYS_MCALL, cap.sel, (long)out, (long)buf,
	                         timeout_ms);
	if (!err)
		lib_msg_copy(reply, buf);
	return err;
}

kreply_t lib_reply_token(void)
{
	reply_generation++;
	reply_pending = 1;
	return (kreply_t){ .channel = (int32_t)lib_self_tid(),
		           .generation = reply_generation };
}

/* Whether `reply` is the calling thread's pending token. */
static int current(kreply_t reply)
{
	return reply_pending && reply.channel == (int32_t)lib_self_tid() &&
	       reply.generation == reply_generation;
}

int kipc_reply(kreply_t reply, const kmsg_t *msg)
{
	if (!msg_ok(msg))
		return KERR_TOO_BIG;
	if (!current(reply))
		return 0; /* its caller has been failed already */
	reply_pending = 0;
	kmsg_t *buf = lib_ipcbuf();
	if (buf && msg->cap_count == 0) {
		/* Nothing in it can be refused: held for the next wait. */
		lib_msg_copy(lib_ipcbuf_out(buf), msg);
		lib_reply_held = 1;
		return 0;
	}
	long err = sys_call2(SYS_MREPLY, (long)msg, 0);
	return err < 0 ? (int)err : 0;
}

void kipc_reply_drop(kreply_t reply)
{
	if (!current(reply))
		return;
	reply_pending = 0;
	sys_call2(SYS_REPLY_DROP, 0, 0);
}
