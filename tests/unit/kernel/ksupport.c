/*
 * The test server and helpers of ksupport.h, shared by the multi-process
 * tests of the kernel interface. The server is a forked child serving one
 * waitset on one thread; it exits with _exit() so that the child never
 * runs the parent's cmocka or sanitizer exit handlers.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"
#include "ksupport.h"

#define OBJECT_FIRST  ((void *)1)
#define OBJECT_SECOND ((void *)2)

struct server_state {
	kwaitset_t *ws;
	kendpoint_t *second;
	uint32_t served;
};

void test_msg(kmsg_t *msg, char op, const void *data, uint32_t len)
{
	msg->size = 1 + len;
	msg->cap_count = 0;
	msg->data[0] = (uint8_t)op;
	if (len)
		memcpy(msg->data + 1, data, len);
}

int test_call(kcap_t cap, char op, const void *data, uint32_t len,
              kmsg_t *reply, int timeout_ms)
{
	kmsg_t req;

	test_msg(&req, op, data, len);
	return kipc_call(cap, &req, reply, timeout_ms);
}

uint32_t test_server_count(kcap_t cap)
{
	kmsg_t reply;
	uint32_t count = 0;

	assert_int_equal(test_call(cap, 'C', NULL, 0, &reply, 5000), 0);
	assert_int_equal(reply.size, sizeof count);
	memcpy(&count, reply.data, sizeof count);
	return count;
}

static void close_caps(kmsg_t *msg)
{
	for (uint32_t i = 0; i < msg->cap_count; i++)
		kcap_close(msg->caps[i]);
	msg->cap_count = 0;
}

struct submitter {
	kcap_t cap;
	uint32_t times;
};

static void *submit_thread(void *arg)
{
	struct submitter *s = arg;

	for (uint32_t i = 0; i < s->times; i++) {
		if (ksignal_submit(s->cap, 1) != 0)
			_exit(3);
	}
	return NULL;
}

/* 'G': data[1..4] submits from each of data[5] threads. */
static void server_submit(kmsg_t *req)
{
	struct submitter s = { .cap = req->caps[0] };
	pthread_t threads[16];
	uint8_t n = req->data[5];

	memcpy(&s.times, req->data + 1, sizeof s.times);
	for (uint8_t i = 0; i < n && i < 16; i++)
		pthread_create(&threads[i], NULL, submit_thread, &s);
	for (uint8_t i = 0; i < n && i < 16; i++)
		pthread_join(threads[i], NULL);
}

/* 'M': fills memory caps[0] with byte data[1]. */
static void server_fill(kmsg_t *req)
{
	size_t size;
	void *at;

	if (kmem_size(req->caps[0], &size) != 0 ||
	    kmem_map(req->caps[0], 0, size, KMEM_READ | KMEM_WRITE, NULL,
	             &at) != 0)
		_exit(4);
	memset(at, req->data[1], size);
	kmem_unmap(at, size);
}

/* Handles one request; the reply goes into *reply (or nowhere: 0). */
static int server_handle(struct server_state *st, kevent_t *ev, kmsg_t *req,
                         kmsg_t *reply)
{
	uint32_t ms;
	kcap_t cap;

	reply->size = 0;
	reply->cap_count = 0;
	switch (req->size ? req->data[0] : 0) {
	case 'C':
		reply->size = sizeof st->served;
		memcpy(reply->data, &st->served, sizeof st->served);
		break;
	case 'A':
		*reply = *req;
		return 1;
	case 'F':
		test_msg(reply, (char)req->data[1], req->data + 2,
		         req->size - 2);
		if (req->cap_count != 1 ||
		    kipc_call(req->caps[0], reply, reply, 5000) != 0)
			_exit(5);
		break;
	case 'N':
		if (st->second || kendpoint_create(&st->second, &cap) != 0 ||
		    kwaitset_add_endpoint(st->ws, st->second, OBJECT_SECOND))
			_exit(6);
		reply->caps[0] = cap;
		reply->cap_count = 1;
		kipc_reply(ev->reply, reply);
		kcap_close(cap);
		return 0;
	case 'D':
		kendpoint_dissolve(st->second);
		st->second = NULL;
		break;
	case 'S':
		memcpy(&ms, req->data + 1, sizeof ms);
		usleep(ms * 1000u);
		*reply = *req;
		break;
	case 'X':
		_exit(0);
	case 'K':
		ms = (uint32_t)test_count_fds();
		reply->size = sizeof ms;
		memcpy(reply->data, &ms, sizeof ms);
		break;
	case 'M':
		server_fill(req);
		break;
	case 'G':
		server_submit(req);
		break;
	default:
		*reply = *req;
		reply->cap_count = 0;
		break;
	}
	return 1;
}

static void server_main(int boot)
{
	struct server_state st = { 0 };
	kendpoint_t *ep;
	kcap_t cap;
	kevent_t ev;
	static kmsg_t req, reply;

	alarm(60);
	if (kwaitset_create(&st.ws) != 0 || kendpoint_create(&ep, &cap) != 0 ||
	    kwaitset_add_endpoint(st.ws, ep, OBJECT_FIRST) != 0)
		_exit(7);
	test_send_fd(boot, cap.sel);
	kcap_close(cap);
	close(boot);
	for (;;) {
		int err = kwaitset_wait(st.ws, &ev, &req, 20000);
		if (err == KERR_TIMEOUT)
			_exit(8);
		if (err != 0 || ev.kind != KEVENT_REQUEST)
			continue;
		st.served++;
		int quit = req.size && req.data[0] == 'Q';
		if (server_handle(&st, &ev, &req, &reply))
			kipc_reply(ev.reply, &reply);
		close_caps(&req);
		if (quit)
			_exit(0);
	}
}

void test_server_spawn(struct test_server *server)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
	                 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		server_main(sv[1]);
	}
	close(sv[1]);
	server->pid = pid;
	server->cap = (kcap_t){ test_recv_fd(sv[0]) };
	close(sv[0]);
	assert_true(kcap_valid(server->cap));
}

void test_server_stop(struct test_server *server)
{
	kmsg_t reply;

	assert_int_equal(test_call(server->cap, 'Q', NULL, 0, &reply, 5000), 0);
	assert_int_equal(test_reap(server->pid, 10), 0);
	kcap_close(server->cap);
	server->cap = KCAP_INVALID;
}

int test_reap(pid_t pid, int seconds)
{
	int status;

	for (int i = 0; i < seconds * 100; i++) {
		pid_t got = waitpid(pid, &status, WNOHANG);
		assert_true(got >= 0);
		if (got == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status)
			                         : 128 + WTERMSIG(status);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("child %d did not exit within %d s", (int)pid, seconds);
	return -1;
}

void test_send_fd(int sock, int fd)
{
	char byte = 'c';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr hdr = { .msg_iov = &iov,
		              .msg_iovlen = 1,
		              .msg_control = c.buf,
		              .msg_controllen = sizeof c.buf };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&hdr);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	if (sendmsg(sock, &hdr, MSG_NOSIGNAL) != 1)
		_exit(9);
}

int test_recv_fd(int sock)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr hdr = { .msg_iov = &iov,
		              .msg_iovlen = 1,
		              .msg_control = c.buf,
		              .msg_controllen = sizeof c.buf };
	int fd = -1;

	if (recvmsg(sock, &hdr, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	struct cmsghdr *cm = CMSG_FIRSTHDR(&hdr);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	return fd;
}

int test_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the directory's own descriptor */
}
