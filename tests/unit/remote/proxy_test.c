/*
 * The generic RPC proxy engine (pkg/remote/rpc/proxy.c) in one process:
 * two nodes, each a proxy with an entrypoint of its own, joined by a
 * pinned TLS link over a loopback TCP connection whose ends are stream
 * capabilities, as core's Net service hands out (so each link thread
 * sleeps on its proxy's receiver, as in the components). Node a plays the server role in
 * front of the example counter server of the RPC tests (counter.rpc,
 * which the proxy knows only from the descriptor table); node b serves a
 * session object with the forwarding descriptor, as remote_rpc_client
 * does. Calls of every argument type cross and come back; an object made
 * on a (cap<counter>) is called from b; a signal context of b goes to a
 * and back and its counts arrive; when the link goes, b's stand-ins are
 * revoked, calls fail, and b's client role hears of it.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <runtime/cap.h>
#include <runtime/signal.h>
#include <remote/link.h>
#include <remote/stream_cap.h>

#include "counter_server.h"
#include "iface_table.h"
#include "proxy.h"
#include "tcp_pair.h"

static identity_t *id_a, *id_b;

struct node {
	const char *name;
	entrypoint_t *ep;
	struct proxy *proxy;
	pthread_t thread;
	int downs;
	/* its link: the socket, its key, the peer's, its TLS role */
	int fd;
	const identity_t *self, *peer;
	int server;
};

static struct counter_server server;
static kcap_t server_cap;

static void log_line(void *ctx, const char *line)
{
	fprintf(stderr, "[%s] %s\n", ((struct node *)ctx)->name, line);
}

static int open_session(void *ctx, uint32_t session, const char *args,
                        kcap_t *cap, char *why, size_t why_len)
{
	(void)ctx;
	(void)session;
	(void)why;
	(void)why_len;
	assert_non_null(strstr(args, "label=\"t\""));
	*cap = server_cap;
	return 0;
}

static void close_session(void *ctx, uint32_t session)
{
	(void)ctx;
	(void)session;
}
static void close_all(void *ctx)
{
	(void)ctx;
}
static void link_down(void *ctx)
{
	((struct node *)ctx)->downs++;
}

static const struct proxy_server_ops server_ops = {
	.open = open_session,
	.close = close_session,
	.close_all = close_all,
};

/* The link thread: opens the link over a stream that waits on the
 * proxy's receiver (made on this thread), then serves it. */
static void *run_link(void *arg)
{
	struct node *n = arg;
	identity_pin_t pin;
	link_stream_t stream;
	link_t *l;
	char err[320];
	memset(&pin, 0, sizeof pin);
	snprintf(pin.name, sizeof pin.name, "%s", n->server ? "b" : "a");
	identity_fingerprint(n->peer, pin.fp);
	link_config_t cfg = { n->self, &pin, 1, n->server, 5000, 0, 0 };
	if (stream_cap((kcap_t){ n->fd }, proxy_receiver(n->proxy), &stream) ||
	    link_open(&l, &stream, &cfg, err, sizeof err)) {
		fprintf(stderr, "[%s] no link: %s\n", n->name, err);
		return NULL;
	}
	proxy_run(n->proxy, l);
	return NULL;
}

/* A session object on b whose calls go to `target`. */
struct session {
	rpc_object_t obj;
	struct proxy_target target;
};

static struct proxy_target *session_target(rpc_object_t *obj)
{
	return &((struct session *)obj)->target;
}

static const struct proxy_target_of session_of = { session_target };

static struct node a = { .name = "a" }, b = { .name = "b" };
static int sv[2];

static void start_nodes(void)
{
	const struct proxy_config ca = { .log = log_line,
		                         .log_ctx = &a,
		                         .peer = "b",
		                         .server = &server_ops,
		                         .ctx = &a };
	const struct proxy_config cb = { .log = log_line,
		                         .log_ctx = &b,
		                         .peer = "a",
		                         .ctx = &b,
		                         .link_down = link_down };
	struct proxy_config c;
	assert_int_equal(counter_server_start(&server, &server_cap), 0);
	assert_int_equal(entrypoint_create(&a.ep, "ep-a"), 0);
	assert_int_equal(entrypoint_create(&b.ep, "ep-b"), 0);
	c = ca;
	c.ep = a.ep;
	c.pd = KCAP_INVALID;
	assert_int_equal(proxy_create(&a.proxy, &c), 0);
	c = cb;
	c.ep = b.ep;
	c.pd = KCAP_INVALID;
	assert_int_equal(proxy_create(&b.proxy, &c), 0);
	tcp_pair(sv);
	a.fd = sv[0], a.self = id_a, a.peer = id_b, a.server = 1;
	b.fd = sv[1], b.self = id_b, b.peer = id_a, b.server = 0;
	assert_int_equal(pthread_create(&a.thread, NULL, run_link, &a), 0);
	assert_int_equal(pthread_create(&b.thread, NULL, run_link, &b), 0);
}

static void calls_capabilities_signals_and_revocation(void **state)
{
	static struct session s;
	const rpc_interface_t *iface = iface_by_name("counter");
	char why[200], text[COUNTER_ECHO_STRING_ECHOED_MAX + 1];
	uint8_t buf[COUNTER_ECHO_BUFFER_ECHOED_MAX];
	uint32_t len = 0;
	uint64_t v = 0;
	kcap_t cap, child = KCAP_INVALID, sig_cap, back = KCAP_INVALID;
	uint8_t ra;
	uint16_t rb;
	uint32_t rc;
	int32_t rd;
	int64_t re;
	bool rf;
	signal_receiver_t *rx;
	signal_context_t ctx;
	signal_t sig;
	uint32_t counted = 0;
	(void)state;
	start_nodes();
	assert_non_null(iface);
	/* the link threads mark the link up when they start */
	int open_rc = KERR_REVOKED;
	for (int i = 0; i < 200 && open_rc == KERR_REVOKED; i++) {
		open_rc = proxy_open(b.proxy, 1, "label=\"t\"", &s.target, why,
		                     sizeof why);
		if (open_rc)
			usleep(10000);
	}
	assert_int_equal(open_rc, 0);
	assert_int_equal(entrypoint_manage(b.ep, &s.obj, proxy_iface(iface),
	                                   &session_of, &cap),
	                 0);

	/* every type crosses, as the descriptor says */
	assert_int_equal(counter_add(cap, 5, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(counter_add(cap, UINT64_MAX, &v),
	                 COUNTER_ERR_OVERFLOW);
	assert_int_equal(counter_echo_string(cap, "across", text), 0);
	assert_string_equal(text, "across");
	assert_int_equal(counter_echo_buffer(cap, "\0\1\2", 3, buf, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "\0\1\2", 3);
	assert_int_equal(counter_scalars(cap, 0xfe, 0xfffe, 0xfffffffeu, -7,
	                                 -1234567890123ll, true, &ra, &rb, &rc,
	                                 &rd, &re, &rf),
	                 0);
	/* the server answers each changed in a known way (counter_server.c) */
	assert_int_equal(ra, 0x01);
	assert_int_equal(rb, 0xffff);
	assert_int_equal(rc, 0xffffffffu);
	assert_int_equal(rd, 7);
	assert_true(re == 1234567890123ll);
	assert_false(rf);

	/* an object made on a is a stand-in on b, and its calls reach it */
	assert_int_equal(counter_make(cap, &child), 0);
	assert_true(cap_valid(child));
	assert_int_equal(counter_add(child, 2, &v), 0);
	assert_int_equal(v, 2);

	/* a signal context of b goes to a (store) and comes back (fetch);
	 * counts submitted to what came back arrive, summed, at b's context */
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &sig_cap), 0);
	assert_int_equal(counter_store(cap, sig_cap), 0);
	assert_int_equal(counter_fetch(cap, &back), 0);
	assert_true(cap_valid(back));
	assert_int_equal(signal_submit(back, 2), 0);
	assert_int_equal(signal_submit(back, 1), 0);
	while (counted < 3 && signal_receiver_wait(rx, &sig, 3000) == 0)
		counted += sig.count;
	assert_int_equal(counted, 3);

	/* the link goes: b's stand-ins are revoked, its calls fail */
	shutdown(sv[0], SHUT_RDWR);
	pthread_join(a.thread, NULL);
	pthread_join(b.thread, NULL);
	assert_int_equal(b.downs, 1);
	assert_int_equal(counter_add(child, 1, &v), KERR_REVOKED);
	assert_int_not_equal(counter_add(cap, 1, &v), 0);
	assert_false(proxy_target_live(&s.target));
	entrypoint_dissolve(&s.obj);
	signal_receiver_dissolve(rx, &ctx);
	signal_receiver_destroy(rx);
	cap_close(sig_cap);
	cap_close(cap);
	cap_close(child);
	cap_close(back);
}

int main(void)
{
	char err[256];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calls_capabilities_signals_and_revocation),
	};
	if (identity_generate(&id_a, "a", err, sizeof err) ||
	    identity_generate(&id_b, "b", err, sizeof err)) {
		fprintf(stderr, "identities: %s\n", err);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
