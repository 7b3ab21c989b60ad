/*
 * The kernel interface (kernel/kernel.h) as libkernel for riscv gives it,
 * checked call by call in one domain with two threads: a waitset with an
 * endpoint and a signal and their cookies, a 2000-byte request with two
 * capabilities and its reply, a used reply token, a dropped request,
 * oversized messages, a wait by a thread that does not own the waitset,
 * dissolving, cancel before and while parked, join, thread-local data per
 * thread, memory objects (shared mappings, sealing, reservations), device
 * memory for the root, timeouts, and the calls this platform refuses (streams,
 * pinning). One line "ok: ..." or "FAILED: ..." per check; the exit code
 * is the number of failures.
 */
#include <kernel/kernel.h>

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "sys.h"

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

static kthread_t *main_thread;
static kwaitset_t *ws;
static kendpoint_t *ep;
static kcap_t ep_cap;
static ksignal_source_t *sig;
static kcap_t sig_cap;
static int ep_cookie, sig_cookie;
static atomic_int server_ready;
static _Thread_local int tls_value = 7;

/* What the server saw, read by main after the join. */
static unsigned signal_count;
static int signal_cookie_ok = 1, second_reply, server_tls, server_err;

static int is(const kmsg_t *m, const char *word)
{
	return m->size == strlen(word) && !memcmp(m->data, word, m->size);
}

/* Answers with the data twice (requests of at most half of
 * KMSG_MAX_BYTES) and the capabilities it got. */
static void echo(const kevent_t *ev, const kmsg_t *msg)
{
	static kmsg_t reply;
	if (msg->size > KMSG_MAX_BYTES / 2) {
		kipc_reply_drop(ev->reply);
		return;
	}
	reply.size = 2 * msg->size;
	memcpy(reply.data, msg->data, msg->size);
	memcpy(reply.data + msg->size, msg->data, msg->size);
	reply.cap_count = msg->cap_count;
	memcpy(reply.caps, msg->caps, sizeof reply.caps);
	kipc_reply(ev->reply, &reply);
	second_reply = kipc_reply(ev->reply, &reply); /* token used: dropped */
	for (unsigned i = 0; i < msg->cap_count; i++)
		kcap_close(msg->caps[i]);
}

/* A handler that waits for a signal on a waitset of its own before it
 * answers: the pending caller must survive the wait. */
static void nested_wait_then_reply(const kevent_t *req)
{
	kwaitset_t *w;
	ksignal_source_t *s;
	kcap_t c;
	kevent_t ev;
	static kmsg_t unused;
	const kmsg_t answer = { .size = 4, .data = "done" };
	int err = kwaitset_create(&w);
	err = err ? err : ksignal_source_create(&s, &c);
	err = err ? err : kwaitset_add_signal(w, s, s);
	err = err ? err : ksignal_submit(c, 1);
	err = err ? err : kwaitset_wait(w, &ev, &unused, -1);
	kipc_reply(req->reply, err ? &(const kmsg_t){ .size = 0 } : &answer);
	ksignal_source_destroy(s);
	kcap_close(c);
	kwaitset_destroy(w);
}

/* Answers, then blocks elsewhere until its caller unparks it: libkernel
 * holds a reply back for the next wait (SYS_REPLY_WAIT), so it must send
 * it at the park, or neither thread ever runs again. */
static kthread_t *server_self;

static void held_reply_then_park(const kevent_t *req)
{
	const kmsg_t answer = { .size = 4, .data = "held" };
	uint32_t ticket = kthread_park_ticket();
	kipc_reply(req->reply, &answer);
	kthread_park(ticket);
}

/* Answers, then calls out (to a selector that names nothing) before its
 * next wait: the held reply must reach the caller as it was, not
 * overwritten by the request that goes through the same IPC buffer. */
static void held_reply_then_call(const kevent_t *req)
{
	const kmsg_t answer = { .size = 4, .data = "held" };
	kmsg_t out = { .size = 4, .data = "XXXX" };
	kipc_reply(req->reply, &answer);
	kipc_call((kcap_t){ .sel = 60 }, &out, &out, 0);
}

static void server(void *arg)
{
	(void)arg;
	tls_value = 99;
	server_self = kthread_self();
	static kmsg_t msg;
	const kmsg_t empty = { .size = 0 };
	kevent_t ev;
	server_err = kwaitset_create(&ws);
	if (!server_err)
		server_err = kendpoint_create(&ep, &ep_cap);
	if (!server_err)
		server_err = ksignal_source_create(&sig, &sig_cap);
	if (!server_err)
		server_err = kwaitset_add_endpoint(ws, ep, &ep_cookie);
	if (!server_err)
		server_err = kwaitset_add_signal(ws, sig, &sig_cookie);
	atomic_store(&server_ready, 1);
	kthread_unpark(main_thread);
	while (!server_err &&
	       !(server_err = kwaitset_wait(ws, &ev, &msg, -1))) {
		if (ev.kind == KEVENT_SIGNAL) {
			signal_count += ev.count;
			signal_cookie_ok &= ev.cookie == &sig_cookie;
		} else if (ev.cookie != &ep_cookie) {
			server_err = KERR_MALFORMED;
		} else if (is(&msg, "stop")) {
			kipc_reply(ev.reply, &empty);
			break;
		} else if (is(&msg, "drop")) {
			kipc_reply_drop(ev.reply);
		} else if (is(&msg, "nest")) {
			nested_wait_then_reply(&ev);
		} else if (is(&msg, "park")) {
			held_reply_then_park(&ev);
		} else if (is(&msg, "call")) {
			held_reply_then_call(&ev);
		} else {
			echo(&ev, &msg);
		}
	}
	server_tls = tls_value;
}

static atomic_int parker_canceled;

static void parker(void *arg)
{
	(void)arg;
	for (;;)
		if (kthread_park(kthread_park_ticket()) == KERR_CANCELED) {
			atomic_fetch_add(&parker_canceled, 1);
			return;
		}
}

static void call_checks(void)
{
	static kmsg_t req, rep;
	req.size = 2000;
	for (unsigned i = 0; i < req.size; i++)
		req.data[i] = (uint8_t)(i * 7);
	req.cap_count = 2;
	req.caps[0] = sig_cap;
	req.caps[1] = ep_cap;
	int err = kipc_call(ep_cap, &req, &rep, -1);
	check(!err && rep.size == 4000 && !memcmp(rep.data, req.data, 2000) &&
	              !memcmp(rep.data + 2000, req.data, 2000),
	      "a 2000-byte request answered with 4000 bytes");
	check(!err && rep.cap_count == 2 &&
	              kcap_type(rep.caps[0]) == KCAP_TYPE_SIGNAL &&
	              kcap_same_object(rep.caps[1], ep_cap) &&
	              rep.caps[1].sel != ep_cap.sel,
	      "two capabilities there and back, as fresh selectors");
	check(!err && kendpoint_owns(ep, rep.caps[1]) &&
	              !kendpoint_owns(ep, rep.caps[0]),
	      "kendpoint_owns tells its own capability");
	kcap_close(rep.caps[0]);
	kcap_close(rep.caps[1]);
	check(second_reply == 0,
	      "a second reply with a used token is dropped, not an error");
	req.size = KMSG_MAX_BYTES + 1;
	check(kipc_call(ep_cap, &req, &rep, -1) == KERR_TOO_BIG,
	      "a request over 4 KiB refused");
	req.size = 4;
	req.cap_count = 0;
	memcpy(req.data, "drop", 4);
	check(kipc_call(ep_cap, &req, &rep, -1) == KERR_REVOKED,
	      "a dropped request fails its caller with KERR_REVOKED");
	memcpy(req.data, "nest", 4);
	check(kipc_call(ep_cap, &req, &rep, -1) == 0 && is(&rep, "done"),
	      "a reply after the handler waited for a signal reaches its caller");
	memcpy(req.data, "park", 4);
	check(kipc_call(ep_cap, &req, &rep, 500) == 0 && is(&rep, "held"),
	      "a reply held for the next wait goes when the handler blocks elsewhere");
	kthread_unpark(server_self);
	memcpy(req.data, "call", 4);
	check(kipc_call(ep_cap, &req, &rep, 500) == 0 && is(&rep, "held"),
	      "a reply held for the next wait goes as it was when the handler calls out");
	kevent_t ev;
	check(kwaitset_wait(ws, &ev, &rep, -1) == KERR_DENIED,
	      "a wait by a thread that did not create the waitset denied");
}

static void end_checks(kthread_t *server_thread)
{
	static kmsg_t stop = { .size = 4 };
	kmsg_t *req = &stop;
	memcpy(req->data, "stop", 4);
	check(kipc_call(ep_cap, req, req, -1) == 0 &&
	              kthread_join(server_thread) == 0,
	      "server stopped and joined");
	check(server_err == 0, "the server saw no error");
	check(signal_count == 5 && signal_cookie_ok,
	      "signals 2 + 3 counted 5, with their cookie");
	check(server_tls == 99 && tls_value == 7,
	      "thread-local data per thread");
	kwaitset_destroy(ws);
	kendpoint_dissolve(ep);
	check(kipc_call(ep_cap, req, req, -1) == KERR_REVOKED,
	      "a call on a dissolved endpoint revoked");
	ksignal_source_destroy(sig);
	check(ksignal_submit(sig_cap, 1) == KERR_REVOKED,
	      "a submit to a destroyed source revoked");
	kcap_close(ep_cap);
	kcap_close(sig_cap);
}

/* Timeouts: a poll, a timed wait, a call nobody takes; then a call that
 * is taken once a receiver waits. The kernel counts in 10 ms ticks. */
static void timeout_checks(void)
{
	kwaitset_t *w;
	kendpoint_t *e;
	kcap_t c;
	kevent_t ev;
	static kmsg_t msg;
	int err = kwaitset_create(&w);
	err = err ? err : kendpoint_create(&e, &c);
	err = err ? err : kwaitset_add_endpoint(w, e, &ep_cookie);
	check(!err && kwaitset_wait(w, &ev, &msg, 0) == KERR_TIMEOUT,
	      "a wait with timeout 0 polls");
	uint64_t t0 = kclock_ns();
	err = err ? err : kwaitset_wait(w, &ev, &msg, 30);
	uint64_t waited = kclock_ns() - t0;
	check(err == KERR_TIMEOUT && waited >= 30000000u && waited < 100000000u,
	      "a wait of 30 ms times out after 30..100 ms");
	msg.size = 1;
	check(kipc_call(c, &msg, &msg, 20) == KERR_TIMEOUT,
	      "a call nobody takes times out");
	check(kwaitset_wait(w, &ev, &msg, 0) == KERR_TIMEOUT,
	      "the timed-out call is no longer queued");
	kendpoint_dissolve(e);
	kwaitset_destroy(w);
	kcap_close(c);
}

/* A message buffer unmapped by another thread while its owner blocks:
 * the owner fails with KERR_INVALID, the kernel and the partner go on.
 * libkernel's messages go through the thread's IPC buffer, which is never
 * unmapped, so the owners here call the kernel themselves, with messages
 * in a memory object (SYS_MCALL, SYS_WS_WAIT). */
static kcap_t gone_cap;
static kmsg_t *gone_buf;
static kwaitset_t *gone_ws;
static int gone_err;

static void gone_caller(void *arg)
{
	(void)arg;
	static kmsg_t reply;
	gone_err = (int)sys_call4(SYS_MCALL, gone_cap.sel, (long)gone_buf,
	                          (long)&reply, -1);
}

static long raw_ws_wait(long waitset, kmsg_t *msg)
{
	register long a0 __asm__("a0") = waitset;
	register long a1 __asm__("a1") = (long)msg;
	register long a2 __asm__("a2") = -1;
	register long a7 __asm__("a7") = SYS_WS_WAIT;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "+r"(a2)
	                 : "r"(a7)
	                 : "a3", "memory");
	return a0;
}

static atomic_int gone_ready;

/* Waits on a waitset of its own with its inbox in gone_buf, then ends
 * its endpoint, so the call queued meanwhile is revoked. */
static void gone_waiter(void *arg)
{
	(void)arg;
	long w = sys_call2(SYS_WS_CREATE, 0, 0), e = sys_ep_create();
	gone_cap.sel = e < 0 ? -1 : (int32_t)sys_cap_copy(e);
	int err = w < 0 || e < 0 || sys_call3(SYS_WS_ADD, w, e, 1) != 0;
	atomic_store(&gone_ready, 1);
	gone_err = err ? KERR_NOMEM : (int)raw_ws_wait(w, gone_buf);
	sys_call2(SYS_EP_DISSOLVE, e, 0);
	sys_cap_close(e);
	sys_call2(SYS_WS_DESTROY, w, 0);
}

static void unmapped_buffer_checks(void)
{
	kendpoint_t *e;
	kcap_t mem;
	kthread_t *t;
	kevent_t ev;
	static kmsg_t msg;
	size_t size = 2 * 4096;
	int err = kwaitset_create(&gone_ws);
	err = err ? err : kendpoint_create(&e, &gone_cap);
	err = err ? err : kwaitset_add_endpoint(gone_ws, e, &ep_cookie);
	err = err ? err : kmem_create(size, &mem);
	err = err ? err
	          : kmem_map(mem, 0, size, KMEM_READ | KMEM_WRITE, NULL,
	                     (void **)&gone_buf);
	if (!err)
		gone_buf->size = 8;
	err = err ? err : kthread_create(&t, "caller", 0, gone_caller, NULL);
	for (int i = 0; !err && i < 3; i++)
		sys_call2(SYS_YIELD, 0, 0); /* the caller queues */
	err = err ? err : kmem_unmap(gone_buf, size);
	check(!err && kwaitset_wait(gone_ws, &ev, &msg, 0) == KERR_TIMEOUT &&
	              kthread_join(t) == 0 && gone_err == KERR_INVALID,
	      "a queued request unmapped meanwhile fails its caller, not the server");
	kendpoint_dissolve(e);
	kwaitset_destroy(gone_ws);
	kcap_close(gone_cap);

	err = err ? err
	          : kmem_map(mem, 0, size, KMEM_READ | KMEM_WRITE, NULL,
	                     (void **)&gone_buf);
	err = err ? err : kthread_create(&t, "waiter", 0, gone_waiter, NULL);
	for (int i = 0; !err && (i < 3 || !atomic_load(&gone_ready)); i++)
		sys_call2(SYS_YIELD, 0, 0); /* the waiter waits */
	err = err ? err : kmem_unmap(gone_buf, size);
	msg.size = 8;
	check(!err && kipc_call(gone_cap, &msg, &msg, -1) == KERR_REVOKED &&
	              kthread_join(t) == 0 && gone_err == KERR_INVALID,
	      "a waiter whose inbox was unmapped meanwhile fails, the caller does not");
	kcap_close(gone_cap);
	kcap_close(mem);
}

/* Memory objects: shared mappings, sealing, W+X, reservations. */
static void memory_checks(void)
{
	kcap_t mem;
	size_t size = 0;
	char *rw, *ro;
	int err = kmem_create(5000, &mem);
	check(!err && !kmem_size(mem, &size) && size == 8192,
	      "a memory object of 5000 bytes has 8192");
	err = err ? err
	          : kmem_map(mem, 0, size, KMEM_READ | KMEM_WRITE, NULL,
	                     (void **)&rw);
	if (!err)
		memset(rw, 0x5a, size);
	err = err ? err
	          : kmem_map(mem, 4096, 4096, KMEM_READ, NULL, (void **)&ro);
	check(!err && ro[0] == 0x5a && ro[4095] == 0x5a && rw[0] == 0x5a,
	      "two mappings of one object share its pages");
	check(kmem_seal_readonly(mem) == KERR_DENIED,
	      "no seal while a writable mapping exists");
	check(kmem_map(mem, 0, 4096, KMEM_WRITE | KMEM_EXEC, NULL,
	               (void **)&rw) == KERR_DENIED,
	      "writable and executable refused");
	check(kmem_map(mem, 0, 4096, KMEM_READ, ro, (void **)&rw) ==
	              KERR_INVALID,
	      "a mapping over a mapped page refused");
	check(kmem_map(mem, 4096, 8192, KMEM_READ, NULL, (void **)&rw) ==
	              KERR_INVALID,
	      "a mapping past the object's end refused");
	err = kmem_unmap(rw, size);
	check(!err && kmem_seal_readonly(mem) == 0 &&
	              kmem_map(mem, 0, 4096, KMEM_READ | KMEM_WRITE, NULL,
	                       (void **)&rw) == KERR_DENIED,
	      "sealed once unmapped, then never writable");
	kcap_close(mem);
	check(ro[100] == 0x5a,
	      "a mapping keeps its object after the last capability closed");
	check(kmem_unmap(ro, 4096) == 0 && kmem_unmap(ro, 4096) == KERR_INVALID,
	      "unmapped once, not twice");
	void *base;
	char *in;
	err = kvm_reserve(64 * 1024, &base);
	err = err ? err : kmem_create(4096, &mem);
	err = err ? err
	          : kmem_map(mem, 0, 4096, KMEM_READ | KMEM_WRITE,
	                     (char *)base + 8192, (void **)&in);
	check(!err && in == (char *)base + 8192 && in[0] == 0,
	      "a mapping placed in a reservation, zeroed");
	check(!err && kmem_unmap(in, 4096) == 0 &&
	              kvm_rereserve(in, 4096) == 0 &&
	              kvm_release(base, 64 * 1024) == 0,
	      "unmapped and the reservation released");
	kcap_close(mem);
	long uart = sys_call2(SYS_IOMEM_CREATE, 0x10000000, 4096);
	check(uart >= 0 &&
	              kcap_type((kcap_t){ (int32_t)uart }) == KCAP_TYPE_MEMORY,
	      "device memory of the UART for the root");
	kcap_close((kcap_t){ (int32_t)uart });
	check(sys_call2(SYS_IOMEM_CREATE, 0x0c000000, 4096) == KERR_DENIED &&
	              sys_call2(SYS_IOMEM_CREATE, 0x02000000, 4096) ==
	                      KERR_DENIED &&
	              sys_call2(SYS_IOMEM_CREATE, 0x80000000, 4096) ==
	                      KERR_DENIED,
	      "the PLIC, the CLINT and RAM are no device memory for drivers");
}

int main(void)
{
	main_thread = kthread_self();
	kthread_t *server_thread, *p1, *p2;
	if (kthread_create(&server_thread, "server", 0, server, NULL))
		return 100;
	for (uint32_t t = kthread_park_ticket(); !atomic_load(&server_ready);
	     t = kthread_park_ticket())
		kthread_park(t);
	check(server_err == 0, "waitset, endpoint and signal source made");
	ksignal_submit(sig_cap, 2);
	ksignal_submit(sig_cap, 3);
	call_checks();
	end_checks(server_thread);

	/* Canceled before it ran, and while parked. */
	int err = kthread_create(&p1, "p1", 0, parker, NULL);
	if (!err) {
		kthread_cancel_blocking(p1);
		err = kthread_join(p1);
	}
	if (!err)
		err = kthread_create(&p2, "p2", 0, parker, NULL);
	for (int i = 0; !err && i < 3; i++)
		sys_call2(SYS_YIELD, 0, 0); /* p2 runs and parks */
	if (!err) {
		kthread_cancel_blocking(p2);
		err = kthread_join(p2);
	}
	check(!err && atomic_load(&parker_canceled) == 2,
	      "cancel before and while parked, joined");

	memory_checks();
	timeout_checks();
	unmapped_buffer_checks();
	char buf[4];
	check(kstream_read(KCAP_INVALID, buf, sizeof buf, 0) == KERR_WRONG_TYPE,
	      "no streams here");
	check(kthread_pin(0) == KERR_DENIED, "pinning denied (one hart)");
	check(kboot_cap(0).sel == -1, "no boot capability for the root");
	printf("%d failures\n", failures);
	return failures;
}
