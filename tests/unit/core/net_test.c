/*
 * Core's network authority: the policy's decisions (pure: exact client
 * labels and the labels below them, numeric addresses, hostile policies),
 * and the Net service in-process over RPC: a client the policy names gets
 * a stream capability connected to a listener on 127.0.0.1 and talks over
 * it with kstream_read/kstream_write; a client it does not name, a node it
 * does not know and a target without policy get `denied` and nothing; a
 * client the policy lets listen accepts connections without blocking.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "net_address.h"
#include "net_policy.h"
#include "net_rpc.h"

static const char policy[] =
	"{\"peers\": ["
	" {\"node\": \"b\", \"address\": \"127.0.0.1\", \"port\": 7400,"
	"  \"clients\": [\"init -> remote\"]},"
	" {\"node\": \"c\", \"address\": \"::1\", \"port\": 7401,"
	"  \"clients\": [\"init -> other\", \"init -> remote\"]},"
	" {\"node\": \"d\", \"address\": \"localhost\", \"port\": 7402,"
	"  \"clients\": [\"init -> remote\"]},"
	" {\"node\": \"e\", \"address\": \"127.0.0.1\", \"port\": 70000,"
	"  \"clients\": [\"init -> remote\"]}]}";

static int decide(const char *text, const char *label, const char *node,
                  struct net_target *t, const char **why)
{
	*why = NULL;
	return net_address_decide(text, strlen(text), label, node, t, why);
}

static void policy_decides_by_label_and_node(void **state)
{
	struct net_target t;
	const char *why;
	(void)state;
	assert_int_equal(decide(policy, "init -> remote", "b", &t, &why), 0);
	assert_int_equal(t.addr.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&t.addr)->sin_port),
	                 7400);
	assert_int_equal(decide(policy, "init -> remote -> link", "b", &t,
	                        &why),
	                 0);
	assert_int_equal(decide(policy, "init -> remote", "c", &t, &why), 0);
	assert_int_equal(t.addr.ss_family, AF_INET6);

	/* a label that only starts with the client's letters is another client */
	assert_int_equal(decide(policy, "init -> remote2", "b", &t, &why), -1);
	assert_non_null(strstr(why, "clients"));
	assert_int_equal(decide(policy, "init -> other", "b", &t, &why), -1);
	assert_int_equal(decide(policy, "init", "b", &t, &why), -1);
	assert_int_equal(decide(policy, "init -> remote", "x", &t, &why), -1);
	assert_non_null(strstr(why, "no such node"));
	/* no name resolution, no port beyond 16 bits */
	assert_int_equal(decide(policy, "init -> remote", "d", &t, &why), -1);
	assert_non_null(strstr(why, "numeric"));
	assert_int_equal(decide(policy, "init -> remote", "e", &t, &why), -1);
	/* a node's name is one a riscv net port can carry (net.NODE) */
	assert_int_equal(decide(policy, "init -> remote", "", &t, &why), -1);
	assert_non_null(strstr(why, "node's name"));
	assert_int_equal(decide(policy, "init -> remote", "b/..", &t, &why),
	                 -1);
	assert_non_null(strstr(why, "node's name"));
}

/* One node, two ports, each for its own client (init's ROM and RPC
 * proxies): the first entry listing the client decides. */
static void policy_lists_a_node_per_client(void **state)
{
	static const char two[] =
		"{\"peers\": ["
		" {\"node\": \"a\", \"address\": \"10.0.0.1\", \"port\": 7400,"
		"  \"clients\": [\"init -> remote-rom-from-a\"]},"
		" {\"node\": \"a\", \"address\": \"10.0.0.1\", \"port\": 7500,"
		"  \"clients\": [\"init -> remote-rpc-from-a-counter\"]}]}";
	struct net_target t;
	const char *why;
	(void)state;
	assert_int_equal(decide(two, "init -> remote-rom-from-a", "a", &t,
	                        &why),
	                 0);
	assert_int_equal(ntohs(((struct sockaddr_in *)&t.addr)->sin_port),
	                 7400);
	assert_int_equal(decide(two, "init -> remote-rpc-from-a-counter", "a",
	                        &t, &why),
	                 0);
	assert_int_equal(ntohs(((struct sockaddr_in *)&t.addr)->sin_port),
	                 7500);
	assert_int_equal(decide(two, "init -> remote-rpc-from-a-timer", "a", &t,
	                        &why),
	                 -1);
	assert_non_null(strstr(why, "clients"));
}

static void hostile_policies_allow_nothing(void **state)
{
	struct net_target t;
	const char *why;
	static char big[NET_POLICY_MAX_BYTES + 2];
	(void)state;
	assert_int_equal(decide("", "init -> remote", "b", &t, &why), -1);
	assert_int_equal(decide("{\"peers\": [", "init -> remote", "b", &t,
	                        &why),
	                 -1);
	assert_non_null(strstr(why, "no valid JSON"));
	assert_int_equal(decide("{\"peers\": {}}", "init -> remote", "b", &t,
	                        &why),
	                 -1);
	assert_int_equal(
		decide("{\"peers\": [{\"node\": \"b\", \"address\": \"127.0.0.1\","
	               " \"port\": 1, \"clients\": \"init -> remote\"}]}",
	               "init -> remote", "b", &t, &why),
		-1);
	assert_int_equal(
		decide("{\"peers\": [{\"node\": \"b\", \"address\": \"127.0.0.1\","
	               " \"port\": 1.5, \"clients\": [\"init -> remote\"]}]}",
	               "init -> remote", "b", &t, &why),
		-1);
	assert_int_equal(
		decide("{\"peers\": [{\"node\": \"b\", \"address\": \"127.0.0.1\","
	               " \"port\": 1, \"clients\": [\"\"]}]}",
	               "init -> remote", "b", &t, &why),
		-1);
	memset(big, ' ', sizeof big - 1);
	assert_int_equal(net_address_decide(big, sizeof big - 1,
	                                    "init -> remote", "b", &t, &why),
	                 -1);
	assert_non_null(strstr(why, "64 KiB"));
}

/* A listener on 127.0.0.1 with a port the kernel picks. */
static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void write_policy(struct fixture *f, uint16_t port)
{
	char text[512];
	snprintf(text, sizeof text,
	         "{\"peers\": [{\"node\": \"b\", \"address\": \"127.0.0.1\", "
	         "\"port\": %u, \"clients\": [\"init -> remote\"]}]}",
	         port);
	fixture_write_config(f, "net.policy", text);
}

static void service_hands_out_allowed_streams(void **state)
{
	struct fixture *f = *state;
	uint16_t port;
	int lfd = listener(&port), peer;
	kcap_t session, stream = KCAP_INVALID;
	char buf[16];
	assert_int_equal(
		fixture_session(
			&f->services.net.base,
			"label=\"init -> remote\", ram_quota=8K, cap_quota=4",
			&session),
		0);
	/* no policy yet: nothing */
	assert_int_equal(net_connect(session, "b", &stream), NET_ERR_DENIED);
	assert_false(kcap_valid(stream));
	write_policy(f, port);
	assert_int_equal(net_connect(session, "b", &stream), 0);
	assert_int_equal(kcap_type(stream), KCAP_TYPE_STREAM);
	peer = accept(lfd, NULL, NULL);
	assert_true(peer >= 0);
	assert_int_equal(kstream_write(stream, "ping", 4, 1000), 4);
	assert_int_equal(read(peer, buf, sizeof buf), 4);
	assert_int_equal(write(peer, "pong!", 5), 5);
	assert_int_equal(kstream_read(stream, buf, sizeof buf, 1000), 5);
	assert_memory_equal(buf, "pong!", 5);
	assert_int_equal(kstream_read(stream, buf, sizeof buf, 50),
	                 KERR_TIMEOUT);
	/* the peer goes: the end of the stream, then writes fail */
	close(peer);
	assert_int_equal(kstream_read(stream, buf, sizeof buf, 1000), 0);
	/* a stream is no endpoint, and an endpoint no stream */
	assert_int_equal(kstream_read(session, buf, sizeof buf, 0),
	                 KERR_WRONG_TYPE);
	kcap_close(stream);
	kcap_close(session);
	close(lfd);
}

static void service_refuses_other_clients(void **state)
{
	struct fixture *f = *state;
	uint16_t port;
	int lfd = listener(&port);
	kcap_t session, stream = KCAP_INVALID;
	char log[8192];
	write_policy(f, port);
	assert_int_equal(
		fixture_session(
			&f->services.net.base,
			"label=\"init -> remote2\", ram_quota=8K, cap_quota=4",
			&session),
		0);
	assert_int_equal(net_connect(session, "b", &stream), NET_ERR_DENIED);
	assert_int_equal(net_connect(session, "nowhere", &stream),
	                 NET_ERR_DENIED);
	assert_false(kcap_valid(stream));
	kcap_close(session);
	fixture_read(f, "log/core.log", log, sizeof log);
	assert_non_null(strstr(
		log,
		"Net session of 'init -> remote2' may not connect to 'b'"));
	close(lfd);
}

static void refused_connection_shows_at_first_use(void **state)
{
	struct fixture *f = *state;
	uint16_t port;
	int lfd = listener(&port);
	kcap_t session, stream;
	char buf[4];
	close(lfd); /* nobody listens on that port now */
	write_policy(f, port);
	assert_int_equal(
		fixture_session(
			&f->services.net.base,
			"label=\"init -> remote\", ram_quota=8K, cap_quota=4",
			&session),
		0);
	assert_int_equal(net_connect(session, "b", &stream), 0);
	assert_int_equal(kstream_read(stream, buf, sizeof buf, 2000),
	                 KERR_REVOKED);
	kcap_close(stream);
	kcap_close(session);
}

static void service_accepts_on_allowed_port(void **state)
{
	struct fixture *f = *state;
	uint16_t port;
	int probe = listener(&port), c;
	kcap_t session, other, stream = KCAP_INVALID;
	struct sockaddr_in a = { .sin_family = AF_INET };
	char text[512], buf[8];
	close(probe); /* a free port, picked by the kernel */
	snprintf(text, sizeof text,
	         "{\"peers\": [], \"listen\": [{\"address\": \"127.0.0.1\", "
	         "\"port\": %u, \"clients\": [\"init -> server\"]}]}",
	         port);
	fixture_write_config(f, "net.policy", text);
	assert_int_equal(
		fixture_session(
			&f->services.net.base,
			"label=\"init -> server\", ram_quota=8K, cap_quota=4",
			&session),
		0);
	assert_int_equal(
		fixture_session(
			&f->services.net.base,
			"label=\"init -> remote\", ram_quota=8K, cap_quota=4",
			&other),
		0);
	assert_int_equal(net_accept(other, port, &stream), NET_ERR_DENIED);
	assert_int_equal(net_accept(session, (uint16_t)(port + 1), &stream),
	                 NET_ERR_DENIED);
	assert_int_equal(net_accept(session, port, &stream), NET_ERR_NONE);
	assert_false(kcap_valid(stream));
	/* someone connects: the next accept hands the stream out */
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(net_accept(session, port, &stream), 0);
	assert_int_equal(kcap_type(stream), KCAP_TYPE_STREAM);
	assert_int_equal(write(c, "hi", 2), 2);
	assert_int_equal(kstream_read(stream, buf, sizeof buf, 1000), 2);
	assert_int_equal(net_accept(session, port, &stream), NET_ERR_NONE);
	kcap_close(stream);
	kcap_close(other);
	kcap_close(session);
	close(c);
}

static void policy_decides_listening(void **state)
{
	struct net_target t;
	const char *why;
	static const char text[] =
		"{\"listen\": [{\"address\": \"0.0.0.0\", \"port\": 7400,"
		" \"clients\": [\"init -> server\"]}]}";
	(void)state;
	assert_int_equal(net_address_decide_listen(text, strlen(text),
	                                           "init -> server", 7400, &t,
	                                           &why),
	                 0);
	assert_int_equal(net_address_decide_listen(text, strlen(text),
	                                           "init -> server -> x", 7400,
	                                           &t, &why),
	                 0);
	assert_int_equal(net_address_decide_listen(text, strlen(text),
	                                           "init -> serverx", 7400, &t,
	                                           &why),
	                 -1);
	assert_int_equal(net_address_decide_listen(text, strlen(text),
	                                           "init -> server", 7401, &t,
	                                           &why),
	                 -1);
	assert_non_null(strstr(why, "no \"listen\" entry"));
	/* a policy with peers only lets nobody listen */
	assert_int_equal(net_address_decide_listen(policy, strlen(policy),
	                                           "init -> remote", 7400, &t,
	                                           &why),
	                 -1);
}

static int setup(void **state)
{
	*state = fixture_create();
	return 0;
}

static int teardown(void **state)
{
	fixture_destroy(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(policy_decides_by_label_and_node),
		cmocka_unit_test(policy_lists_a_node_per_client),
		cmocka_unit_test(hostile_policies_allow_nothing),
		cmocka_unit_test(policy_decides_listening),
		cmocka_unit_test_setup_teardown(
			service_hands_out_allowed_streams, setup, teardown),
		cmocka_unit_test_setup_teardown(service_refuses_other_clients,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
			refused_connection_shows_at_first_use, setup, teardown),
		cmocka_unit_test_setup_teardown(service_accepts_on_allowed_port,
		                                setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
