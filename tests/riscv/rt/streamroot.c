/*
 * The root for the stream tests (kernel/riscv/stream.h), standing in for
 * core's Net service: it makes stream pairs (SYS_STREAM_CREATE, the
 * root's alone), keeps one end of each and hands the other two to boot
 * module 1 (streamchild.c) in the reply to its first request (and a
 * third pair whose end the child holds when it ends), then plays
 * the network's side of each step the child asks for by a one-letter
 * request: bytes both ways, a full ring read late, a late write that
 * wakes a waitset, a close, a failure. Before that it checks what a
 * selector that names no stream and hostile buffers get. It ends with
 * the child's status.
 */
#include <kernel/kernel.h>

#include "sys.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHUNK 20000 /* more than a ring holds (16 KiB) */

static kwaitset_t *ws;
static kcap_t net, net_failed, net_last; /* the ends the root keeps */

/* Waits for the child's next request, answers it with `reply` and
 * returns its letter (0 on an error). */
static char serve(const kmsg_t *reply)
{
	static kmsg_t req;
	kevent_t ev;
	int err = kwaitset_wait(ws, &ev, &req, -1);
	if (err || ev.kind != KEVENT_REQUEST || req.size < 1) {
		printf("wait for the child: %s\n", kerr_str(err));
		return 0;
	}
	kipc_reply(ev.reply, reply);
	return (char)req.data[0];
}

/* Lets `ms` of guest time pass: a read of the failed pair's kept end,
 * which nobody writes, times out. */
static long idle(int ms)
{
	char c;
	return kstream_read(net_failed, &c, 1, ms);
}

static void hostile(void)
{
	char buf[8] = "abcd";
	kendpoint_t *ep;
	kcap_t ep_cap;
	long r[6];
	r[0] = kstream_write(net, (void *)0x80200000l, 4, 0); /* the kernel */
	r[1] = kstream_read(net, (void *)(uintptr_t)&hostile, 4, 0); /* text */
	r[2] = kstream_read(net, NULL, 4, 0);
	r[3] = kstream_write(net, buf, 0, 0);
	r[4] = kstream_write(net, (void *)(0x80000000l - 8), SIZE_MAX, 0);
	r[5] = kstream_read(net, (void *)-16l, 32, 0);
	printf("hostile buffers: %ld %ld %ld %ld %ld %ld\n", r[0], r[1], r[2],
	       r[3], r[4], r[5]);
	int err = kendpoint_create(&ep, &ep_cap);
	printf("no stream: %ld %ld %d\n", kstream_read(KCAP_INVALID, buf, 4, 0),
	       kstream_write(ep_cap, buf, 4, 0),
	       err ? err : kwaitset_add_stream(ws, ep_cap, 0));
}

/* Reads `n` bytes of the pattern the child writes (i % 251). */
static int read_pattern(long n)
{
	static char buf[CHUNK];
	long got = 0;
	while (got < n) {
		long k = kstream_read(net, buf + got, (size_t)(n - got), -1);
		if (k <= 0)
			return (int)k;
		got += k;
	}
	for (long i = 0; i < n; i++)
		if (buf[i] != (char)(i % 251))
			return KERR_MALFORMED;
	return 0;
}

int main(void)
{
	kendpoint_t *ep;
	kcap_t cap;
	long other = -1, other_failed = -1, other_last = -1;
	char buf[16];
	kmsg_t reply = { .size = 0 };
	long first = sys_stream_create(&other);
	long second = first < 0 ? first : sys_stream_create(&other_failed);
	long third = second < 0 ? second : sys_stream_create(&other_last);
	int err = kwaitset_create(&ws);
	err = err ? err : kendpoint_create(&ep, &cap);
	err = err ? err : kwaitset_add_endpoint(ws, ep, ep);
	if (err || third < 0) {
		printf("set-up: %s %ld\n", kerr_str(err), third);
		return 1;
	}
	net.sel = (int32_t)first;
	net_failed.sel = (int32_t)second;
	net_last.sel = (int32_t)third;
	hostile();
	err = (int)sys_pd_create(1, cap.sel);
	/* The child's ends go in the reply to its first request. */
	reply.cap_count = 3;
	reply.caps[0] = (kcap_t){ (int32_t)other };
	reply.caps[1] = (kcap_t){ (int32_t)other_failed };
	reply.caps[2] = (kcap_t){ (int32_t)other_last };
	if (err || serve(&reply) != 'h')
		return 1;
	for (unsigned i = 0; i < 3; i++)
		kcap_close(reply.caps[i]);
	reply.cap_count = 0;

	long n = kstream_read(net, buf, sizeof buf, -1);
	printf("root read %ld bytes: %.4s\n", n, buf);
	printf("root wrote %ld\n", kstream_write(net, "pong", 4, -1));

	if (serve(&reply) != 'f') /* the child's ring toward us is full */
		return 1;
	printf("idle %ld\n", idle(100));
	printf("root reads now\n");
	printf("root read the pattern: %s\n", kerr_str(read_pattern(CHUNK)));

	if (serve(&reply) != 'w') /* the child waits on its waitset */
		return 1;
	idle(50);
	printf("root wrote %ld late\n", kstream_write(net, "wake", 4, -1));

	if (serve(&reply) != 'c')
		return 1;
	kstream_write(net, "bye", 3, -1);
	kcap_close(net);
	printf("root closed its end\n");

	if (serve(&reply) != 'x') /* the child reads the second stream */
		return 1;
	idle(50);
	printf("root failed the second: %ld\n",
	       sys_call2(SYS_STREAM_FAIL, net_failed.sel, 0));
	printf("root's read of it: %ld\n", idle(0));

	static kmsg_t req;
	kevent_t ev;
	err = kwaitset_wait(ws, &ev, &req, -1);
	int status = !err && req.size == 2 && req.data[0] == 'e' ? req.data[1]
	                                                         : 99;
	kipc_reply(ev.reply, &reply);
	kcap_close(net_failed);
	/* The child ends with a thread blocked reading the third stream:
	 * its end closes with the domain. */
	printf("the third stream after the child's end: %ld\n",
	       kstream_read(net_last, buf, sizeof buf, -1));
	kcap_close(net_last);
	printf("the child is done with status %d\n", status);
	return status;
}
