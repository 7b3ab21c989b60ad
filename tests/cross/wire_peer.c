/*
 * The endianness test of the remote wire code (tests/cross/run-suite):
 * the same program built natively (x86_64) and for s390x (big-endian,
 * run under qemu-user). The native side starts the other as a child
 * joined by two pipes and sends it link frames (remote/frame.h) that
 * carry RPC proxy messages (pkg/remote/rpc/proxy_wire.h) of every kind,
 * plus hostile ones. The peer decodes each frame header and message,
 * answers with a message computed from what it decoded (answer()), and
 * the native side compares the answer byte for byte with what it computes
 * itself. Every integer crosses in its little-endian wire form, so the
 * bytes agree exactly when neither side depends on its host's byte order.
 * Host program: links no libruntime, no OpenSSL.
 *
 *   wire_peer drive PEER-COMMAND...   native side; prints TAP
 *   wire_peer serve                   peer side, on stdin/stdout
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <remote/frame.h>

#include "proxy_wire.h"

static uint8_t in_buf[FRAME_HEADER_BYTES + PROXY_MSG_MAX];
static uint8_t out_buf[FRAME_HEADER_BYTES + PROXY_MSG_MAX];
static uint8_t scratch[PROXY_DATA_MAX];

static int read_all(int fd, uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = write(fd, p, n);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Sends one DATA frame on channel REMOTE_RPC_CHANNEL. */
static int send_frame(int fd, const uint8_t *payload, uint32_t len)
{
	frame_header_t h = { FRAME_DATA, REMOTE_RPC_CHANNEL, len };
	frame_header_encode(&h, out_buf);
	memcpy(out_buf + FRAME_HEADER_BYTES, payload, len);
	return write_all(fd, out_buf, FRAME_HEADER_BYTES + len);
}

/* Receives one frame, its header checked before its payload is read. */
static long recv_frame(int fd)
{
	frame_header_t h;
	if (read_all(fd, in_buf, FRAME_HEADER_BYTES) ||
	    frame_header_decode(in_buf, FRAME_HEADER_BYTES, &h) != FRAME_OK ||
	    h.type != FRAME_DATA || h.channel != REMOTE_RPC_CHANNEL ||
	    read_all(fd, in_buf + FRAME_HEADER_BYTES, h.length))
		return -1;
	return h.length;
}

/* What the peer answers to msg[len]: a REPLY with the decoded fields
 * folded in, so every field the decoder read shows in the answer. */
static long answer(const uint8_t *msg, size_t len, uint8_t *out)
{
	struct proxy_msg m, a = { .kind = PROXY_REPLY };
	enum proxy_status st = proxy_decode(msg, len, &m);
	if (st != PROXY_OK) {
		a.status = (int32_t)st;
		return proxy_encode(&a, out);
	}
	a.tag = m.tag;
	a.session = m.session ^ m.ref.slot ^ (uint32_t)(m.ref.nonce >> 32) ^
	            m.count ^ m.size ^ m.offset;
	a.status = (int32_t)(m.kind | (uint32_t)m.ref.nonce << 8);
	a.cap_count = m.cap_count;
	memcpy(a.caps, m.caps, sizeof a.caps);
	a.len = m.len > PROXY_DATA_MAX ? PROXY_DATA_MAX : m.len;
	for (uint32_t i = 0; i < a.len; i++)
		scratch[i] = m.data[a.len - 1 - i];
	a.data = scratch;
	return proxy_encode(&a, out);
}

static int serve(void)
{
	static uint8_t reply[PROXY_MSG_MAX];
	const uint16_t probe = 1;
	/* say which byte order this side runs in, as a message of its own */
	uint8_t hello = *(const uint8_t *)&probe == 1 ? 'L' : 'B';
	if (send_frame(1, &hello, 1))
		return 1;
	for (;;) {
		long n = recv_frame(0), r;
		if (n < 0)
			return 0; /* the driver is done */
		r = answer(in_buf + FRAME_HEADER_BYTES, (size_t)n, reply);
		if (r < 0 || send_frame(1, reply, (uint32_t)r))
			return 1;
	}
}

/* The messages the driver sends: every kind, bounds at their limits, and
 * hostile ones that the peer must refuse with the right status. */
static size_t make_messages(uint8_t msgs[][PROXY_MSG_MAX], long *lens)
{
	static uint8_t big[PROXY_DS_CHUNK];
	struct proxy_msg m[] = {
		{ .kind = PROXY_OPEN,
		  .tag = 1,
		  .session = 1,
		  .data = (const uint8_t *)"label=\"probe\", ram_quota=16K",
		  .len = 28 },
		{ .kind = PROXY_OPENED,
		  .tag = 1,
		  .session = 1,
		  .status = -2,
		  .ref = { 17, 0xfedcba9876543210ull },
		  .data = (const uint8_t *)"ok",
		  .len = 2 },
		{ .kind = PROXY_CALL,
		  .tag = 0x80000001u,
		  .session = 0xdeadbeefu,
		  .ref = { 255, 0x0123456789abcdefull },
		  .cap_count = 3,
		  .data = (const uint8_t
		                   *)"\x90\x95\xed\x9f\x02\0\0\0\x01\0\0\0\0\0\0\0",
		  .len = 16 },
		{ .kind = PROXY_REPLY,
		  .tag = 2,
		  .status = -4,
		  .cap_count = 4,
		  .data = scratch,
		  .len = PROXY_DATA_MAX },
		{ .kind = PROXY_SIGNAL,
		  .session = 3,
		  .ref = { 1, 1 },
		  .count = 0xfffffffeu },
		{ .kind = PROXY_DS,
		  .session = 4,
		  .ref = { 2, 2 },
		  .size = PROXY_DS_MAX,
		  .offset = PROXY_DS_MAX - PROXY_DS_CHUNK,
		  .data = big,
		  .len = PROXY_DS_CHUNK },
		{ .kind = PROXY_CLOSE, .tag = 9, .session = 5 },
	};
	size_t n = sizeof m / sizeof m[0];
	for (uint32_t i = 0; i < PROXY_DS_CHUNK; i++)
		big[i] = (uint8_t)(i * 7);
	m[2].caps[0] = (struct proxy_cap){ PROXY_CAP_OBJECT,
		                           { 4, 0x1122334455667788ull },
		                           0 };
	m[2].caps[1] = (struct proxy_cap){ PROXY_CAP_SIGNAL, { 5, 0x99 }, 0 };
	m[2].caps[2] = (struct proxy_cap){ PROXY_CAP_MEMORY,
		                           { 6, 0xaa },
		                           4096 };
	for (size_t i = 0; i < n; i++)
		lens[i] = proxy_encode(&m[i], msgs[i]);
	/* hostile: a truncated CALL, an unknown kind, a chunk outside its size */
	memcpy(msgs[n], msgs[2], (size_t)lens[2]);
	lens[n] = lens[2] - 1;
	memcpy(msgs[n + 1], msgs[6], (size_t)lens[6]);
	msgs[n + 1][0] = 42;
	lens[n + 1] = lens[6];
	memcpy(msgs[n + 2], msgs[5], (size_t)lens[5]);
	frame_put_u32(msgs[n + 2] + 28,
	              PROXY_DS_MAX); /* offset = size, len > 0 */
	lens[n + 2] = lens[5];
	return n + 3;
}

static int drive(char **peer)
{
	static uint8_t msgs[10][PROXY_MSG_MAX], want[PROXY_MSG_MAX];
	long lens[10];
	size_t count = make_messages(msgs, lens);
	int to_peer[2], from_peer[2], failed = 0;
	pid_t pid;
	if (pipe(to_peer) || pipe(from_peer) || (pid = fork()) < 0)
		return perror("wire_peer"), 1;
	if (pid == 0) {
		dup2(to_peer[0], 0);
		dup2(from_peer[1], 1);
		close(to_peer[1]);
		close(from_peer[0]);
		execvp(peer[0], peer);
		_exit(127);
	}
	close(to_peer[0]);
	close(from_peer[1]);
	printf("1..%zu\n", count + 1);
	long n = recv_frame(from_peer[0]);
	if (n == 1 && in_buf[FRAME_HEADER_BYTES] == 'B')
		printf("ok 1 - the peer runs big-endian\n");
	else
		printf("not ok 1 - the peer runs big-endian (it said %s)\n",
		       n == 1 && in_buf[FRAME_HEADER_BYTES] == 'L'
		               ? "little-endian"
		               : "nothing");
	for (size_t i = 0; i < count; i++) {
		long w = answer(msgs[i], (size_t)lens[i], want), got;
		got = send_frame(to_peer[1], msgs[i], (uint32_t)lens[i])
		              ? -1
		              : recv_frame(from_peer[0]);
		int same = got == w && memcmp(in_buf + FRAME_HEADER_BYTES, want,
		                              (size_t)w) == 0;
		struct proxy_msg a;
		proxy_decode(want, (size_t)w, &a);
		printf("%s %zu - message %zu (%ld bytes): the peer's answer is the same "
		       "%ld bytes (status %d)\n",
		       same ? "ok" : "not ok", i + 2, i, lens[i], w, a.status);
		failed |= !same;
	}
	close(to_peer[1]);
	int status;
	waitpid(pid, &status, 0);
	return failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return serve();
	if (argc >= 3 && strcmp(argv[1], "drive") == 0)
		return drive(argv + 2);
	fprintf(stderr,
	        "usage: wire_peer drive PEER-COMMAND... | wire_peer serve\n");
	return 2;
}
