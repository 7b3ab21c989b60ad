/*
 * Support for the multi-process tests of the kernel interface: a test
 * server that runs in a forked child, the bootstrap that hands its first
 * capability to the test (a raw socket pair, as a parent process would at
 * spawn), and descriptor counting for leak checks.
 */
#ifndef TESTS_UNIT_KERNEL_KSUPPORT_H
#define TESTS_UNIT_KERNEL_KSUPPORT_H

#include <stdint.h>
#include <sys/types.h>

#include "kernel/kernel.h"

/*
 * Operations of the test server: the first byte of a request.
 *   'E' echo the data back
 *   'C' reply with the number of requests served so far (uint32_t)
 *   'A' reply with the request's capabilities
 *   'F' call caps[0] with data[1..] and reply with its reply
 *   'N' create a second object and reply with its capability
 *   'D' dissolve the second object
 *   'S' sleep data[1..4] milliseconds, then echo
 *   'X' exit the process without replying
 *   'Q' reply, then exit the process
 *   'K' reply with the server's number of open descriptors (uint32_t)
 *   'M' map memory caps[0] writable and fill it with byte data[1]
 *   'G' submit to signal caps[0] data[1..4] times from data[5] threads
 */
struct test_server {
	pid_t pid;
	kcap_t cap;
};

/* Forks a test server and returns its pid and the capability to its first
 * object. The server exits after 20 s without requests. */
void test_server_spawn(struct test_server *server);

/* Asks the server to quit and reaps it; asserts that it exited cleanly. */
void test_server_stop(struct test_server *server);

/* Reaps a child, failing the test if it does not exit within `seconds`;
 * returns its exit status (or 128 + signal). */
int test_reap(pid_t pid, int seconds);

/* Passes a descriptor over a raw Unix socket, and receives one. */
void test_send_fd(int sock, int fd);
int test_recv_fd(int sock);

/* The number of open descriptors of this process. */
int test_count_fds(void);

/* A request of one opcode byte followed by `len` bytes of `data`. */
void test_msg(kmsg_t *msg, char op, const void *data, uint32_t len);

/* Calls the object with a request of `op` and data; returns kipc_call(). */
int test_call(kcap_t cap, char op, const void *data, uint32_t len,
              kmsg_t *reply, int timeout_ms);

/* The number of requests the server has served (op 'C'). */
uint32_t test_server_count(kcap_t cap);

#endif /* TESTS_UNIT_KERNEL_KSUPPORT_H */
