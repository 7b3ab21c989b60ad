/*
 * Steps 1 and 2 of pkg/remote together: core's Net service (in-process,
 * tests/unit/core/fixture.h) hands a client a stream capability to a
 * listener on 127.0.0.1, and a TLS link with pinned keys runs over that
 * capability (remote/stream_cap.h) to a node that accepted on a plain
 * socket: what a proxy component will do, minus the process boundary.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
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

#include <remote/identity.h>
#include <remote/link.h>
#include <remote/stream_cap.h>

#include "fixture.h"
#include "net_rpc.h"

static identity_t *node_a, *node_b;

static identity_pin_t pin_of(const identity_t *id, const char *name)
{
	identity_pin_t p;
	memset(&p, 0, sizeof p);
	snprintf(p.name, sizeof p.name, "%s", name);
	identity_fingerprint(id, p.fp);
	return p;
}

struct acceptor {
	int lfd;
	int rc;
	pthread_t thread;
};

/* Node b: accepts one connection, opens the link, echoes one message. */
static void *accept_main(void *arg)
{
	struct acceptor *a = arg;
	identity_pin_t pin = pin_of(node_a, "a");
	link_config_t cfg = { node_b, &pin, 1, 1, 5000, 0, 0 };
	link_stream_t stream;
	static uint8_t buf[FRAME_PAYLOAD_MAX];
	uint32_t ch, len;
	char err[320];
	link_t *l;
	int fd = accept(a->lfd, NULL, NULL);
	if (fd < 0 || stream_fd(fd, &stream) != 0) {
		a->rc = -100;
		return NULL;
	}
	a->rc = link_open(&l, &stream, &cfg, err, sizeof err);
	if (a->rc)
		return NULL;
	a->rc = link_recv(l, &ch, buf, &len, 5000);
	if (!a->rc)
		a->rc = link_send(l, ch, buf, len, 5000);
	link_close(l);
	return NULL;
}

static void link_runs_over_net_stream(void **state)
{
	struct fixture *f = fixture_create();
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof addr;
	struct acceptor acc = { 0 };
	char policy[512], err[320];
	kcap_t session, stream;
	link_stream_t ls;
	identity_pin_t pin = pin_of(node_b, "b");
	link_config_t cfg = { node_a, &pin, 1, 0, 5000, 0, 0 };
	link_t *l;
	uint8_t buf[FRAME_PAYLOAD_MAX];
	uint32_t ch, len;
	(void)state;

	acc.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(acc.lfd, (struct sockaddr *)&addr, sizeof addr),
	                 0);
	assert_int_equal(listen(acc.lfd, 1), 0);
	assert_int_equal(getsockname(acc.lfd, (struct sockaddr *)&addr, &alen),
	                 0);
	snprintf(policy, sizeof policy,
	         "{\"peers\": [{\"node\": \"b\", \"address\": \"127.0.0.1\", "
	         "\"port\": %u, \"clients\": [\"init -> remote\"]}]}",
	         ntohs(addr.sin_port));
	fixture_write_config(f, "net.policy", policy);
	assert_int_equal(pthread_create(&acc.thread, NULL, accept_main, &acc),
	                 0);

	assert_int_equal(
		fixture_session(
			&f->services.net.base,
			"label=\"init -> remote\", ram_quota=8K, cap_quota=4",
			&session),
		0);
	assert_int_equal(net_connect(session, "b", &stream), 0);
	assert_int_equal(stream_cap(stream, NULL, &ls), 0);
	assert_int_equal(link_open(&l, &ls, &cfg, err, sizeof err), 0);
	assert_int_equal(link_send(l, 9, "over the capability", 19, 5000), 0);
	assert_int_equal(link_recv(l, &ch, buf, &len, 5000), 0);
	assert_int_equal(ch, 9);
	assert_int_equal(len, 19);
	assert_memory_equal(buf, "over the capability", 19);
	link_close(l);
	pthread_join(acc.thread, NULL);
	assert_int_equal(acc.rc, 0);
	kcap_close(session);
	close(acc.lfd);
	fixture_destroy(f);
}

static int setup(void **state)
{
	char err[320];
	(void)state;
	return identity_generate(&node_a, "a", err, sizeof err) ||
	                       identity_generate(&node_b, "b", err, sizeof err)
	               ? -1
	               : 0;
}

static int teardown(void **state)
{
	(void)state;
	identity_free(node_a);
	identity_free(node_b);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_runs_over_net_stream),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
