/*
 * Waitsets and signal sources (kernel/kernel.h) over the kernel's
 * waitsets (../waitset.h): a kwaitset_t is the kernel's waitset id and
 * the thread that created it; the cookie of what is added (an endpoint,
 * a signal source, a stream: stream.c) is the kernel's badge, handed
 * back with each event. A signal source keeps the owner's
 * selector of the signal, as an endpoint does (ipc.c).
 * Timeouts are the kernel's, in ticks of 10 ms rounded up; 0 polls.
 */
#include "lib.h"

#include <stdint.h>
#include <stdlib.h>

struct kwaitset {
	long id;
	long owner; /* tid of the creating thread */
};

struct ksignal_source {
	kcap_t own;
};

int kwaitset_create(kwaitset_t **ws)
{
	struct kwaitset *w = malloc(sizeof *w);
	if (!w)
		return KERR_NOMEM;
	long id = sys_call2(SYS_WS_CREATE, 0, 0);
	if (id < 0) {
		free(w);
		return (int)id;
	}
	w->id = id;
	w->owner = lib_self_tid();
	*ws = w;
	return 0;
}

void kwaitset_destroy(kwaitset_t *ws)
{
	if (!ws)
		return;
	sys_call2(SYS_WS_DESTROY, ws->id, 0);
	free(ws);
}

int kwaitset_add_endpoint(kwaitset_t *ws, kendpoint_t *ep, void *cookie)
{
	return (int)sys_call3(SYS_WS_ADD, ws->id, lib_endpoint_selector(ep).sel,
	                      (long)cookie);
}

void kwaitset_remove_endpoint(kwaitset_t *ws, kendpoint_t *ep)
{
	(void)ws;
	sys_call2(SYS_WS_REMOVE, lib_endpoint_selector(ep).sel, 0);
}

int kwaitset_wait(kwaitset_t *ws, kevent_t *event, kmsg_t *msg, int timeout_ms)
{
	if (ws->owner != lib_self_tid()) {
		SYS_BEFORE(); /* a held reply is sent all the same */
		return KERR_DENIED;
	}
	kmsg_t *buf = lib_ipcbuf();
	int held = lib_reply_held;
	/* A reply held back (ipc.c) goes with the wait: SYS_REPLY_WAIT. */
	register long a0 __asm__("a0") = ws->id;
	register long a1 __asm__("a1") = (long)(buf ? buf : msg);
	register long a2 __asm__("a2") = timeout_ms;
	register long a3 __asm__("a3") = buf ? (long)lib_ipcbuf_out(buf) : 0;
	register long a7 __asm__("a7") = held ? SYS_REPLY_WAIT : SYS_WS_WAIT;
	lib_reply_held = 0;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
	                 : "r"(a7)
	                 : "memory");
	/* KERR_INVALID is SYS_REPLY_WAIT's decode refusing the wait, before
	 * the reply went (its other errors come after it did). */
	if (held && a0 == KERR_INVALID)
		sys_call2(SYS_MREPLY, (long)lib_ipcbuf_out(buf), 0);
	if (a0 < 0)
		return (int)a0;
	event->kind = a1 == KEVENT_SIGNAL   ? KEVENT_SIGNAL
	              : a1 == KEVENT_STREAM ? KEVENT_STREAM
	                                    : KEVENT_REQUEST;
	event->cookie = (void *)a2;
	event->count = 0;
	event->reply = (kreply_t){ .channel = -1 };
	if (event->kind == KEVENT_SIGNAL) {
		event->count = (unsigned long)a3 > UINT32_MAX ? UINT32_MAX
		                                              : (uint32_t)a3;
	} else if (event->kind == KEVENT_STREAM) {
		event->count = 1; /* kernel.h: the next read says what */
	} else {
		if (buf)
			lib_msg_copy(msg, buf);
		event->reply = lib_reply_token();
	}
	return 0;
}

int ksignal_source_create(ksignal_source_t **src, kcap_t *cap)
{
	struct ksignal_source *s = malloc(sizeof *s);
	if (!s)
		return KERR_NOMEM;
	long own = sys_signal_create();
	long handed = own < 0 ? own : sys_cap_copy(own);
	if (handed < 0) {
		if (own >= 0) {
			sys_call2(SYS_SIGNAL_DESTROY, own, 0);
			sys_cap_close(own);
		}
		free(s);
		return (int)handed;
	}
	s->own.sel = (int32_t)own;
	*src = s;
	cap->sel = (int32_t)handed;
	return 0;
}

void ksignal_source_destroy(ksignal_source_t *src)
{
	if (!src)
		return;
	sys_call2(SYS_SIGNAL_DESTROY, src->own.sel, 0);
	sys_cap_close(src->own.sel);
	free(src);
}

int kwaitset_add_signal(kwaitset_t *ws, ksignal_source_t *src, void *cookie)
{
	return (int)sys_call3(SYS_WS_ADD, ws->id, src->own.sel, (long)cookie);
}

void kwaitset_remove_signal(kwaitset_t *ws, ksignal_source_t *src)
{
	(void)ws;
	sys_call2(SYS_WS_REMOVE, src->own.sel, 0);
}

/* The kernel refuses a selector that names no stream with
 * KERR_WRONG_TYPE only on a read or write; here it is asked first, so
 * the waitset's own errors (an endpoint's, a signal's) never stand for
 * it. */
int kwaitset_add_stream(kwaitset_t *ws, kcap_t stream, void *cookie)
{
	if (sys_cap_type(stream.sel) != KCAP_TYPE_STREAM)
		return KERR_WRONG_TYPE;
	return (int)sys_call3(SYS_WS_ADD, ws->id, stream.sel, (long)cookie);
}

void kwaitset_remove_stream(kwaitset_t *ws, kcap_t stream)
{
	(void)ws;
	if (sys_cap_type(stream.sel) == KCAP_TYPE_STREAM)
		sys_call2(SYS_WS_REMOVE, stream.sel, 0);
}

int ksignal_submit(kcap_t cap, uint32_t count)
{
	long err = sys_signal_submit(cap.sel, count);
	return err < 0 ? (int)err : 0;
}
