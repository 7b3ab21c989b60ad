/*
 * The client of streamroot.c: gets two stream ends by IPC and checks,
 * step by step with the root, what kernel.h says of streams: bytes both
 * ways, a full ring that holds the writer up until the reader reads,
 * timeouts, a waitset woken by a stream for as long as it is readable,
 * the end of the stream after the root's close, a failed stream, that a
 * component can neither make a pair nor fail one, and an end that
 * closes with its domain while a thread of it is blocked reading.
 */
#include <kernel/kernel.h>

#include "sys.h"

#include <stdio.h>
#include <string.h>

#define CHUNK 20000

static kcap_t root;

/* A request of one letter (and a status byte) to the root; its reply's
 * capabilities into caps (up to three). */
static int ask(char letter, char status, kcap_t *caps)
{
	kmsg_t req = { .size = 2 }, reply;
	req.data[0] = (uint8_t)letter;
	req.data[1] = (uint8_t)status;
	int err = kipc_call(root, &req, &reply, -1);
	for (unsigned i = 0; !err && caps && i < reply.cap_count && i < 3; i++)
		caps[i] = reply.caps[i];
	return err;
}

/* Never returns: nobody writes the stream, its domain ends first. */
static void read_last(void *stream)
{
	char c;
	long n = kstream_read(*(kcap_t *)stream, &c, 1, -1);
	printf("the last read returned %ld\n", n);
}

int main(void)
{
	static char big[CHUNK];
	char buf[16];
	kcap_t ends[3] = { KCAP_INVALID, KCAP_INVALID, KCAP_INVALID };
	kwaitset_t *ws;
	kevent_t ev;
	kmsg_t msg;
	root = kboot_cap(0);
	int err = ask('h', 0, ends);
	printf("got ends of types %d %d %d\n", kcap_type(ends[0]),
	       kcap_type(ends[1]), kcap_type(ends[2]));
	if (err)
		return 2;
	kcap_t s = ends[0];

	long n = kstream_write(s, "ping", 4, -1);
	long m = kstream_read(s, buf, sizeof buf, -1);
	printf("wrote %ld, read %ld: %.4s\n", n, m, buf);

	for (int i = 0; i < CHUNK; i++)
		big[i] = (char)(i % 251);
	n = kstream_write(s, big, CHUNK, -1);
	printf("first write of %d took %ld\n", CHUNK, n);
	printf("full ring: poll %ld, 30 ms %ld\n", kstream_write(s, big, 10, 0),
	       kstream_write(s, big, 10, 30));
	ask('f', 0, 0);
	m = kstream_write(s, big + n, (size_t)(CHUNK - n), -1);
	printf("blocked write returned %ld\n", m);
	printf("empty: poll %ld, 30 ms %ld\n", kstream_read(s, buf, 4, 0),
	       kstream_read(s, buf, 4, 30));

	err = kwaitset_create(&ws);
	err = err ? err : kwaitset_add_stream(ws, s, (void *)0x5a);
	printf("second add: %d\n", kwaitset_add_stream(ws, s, (void *)0x5b));
	ask('w', 0, 0);
	err = err ? err : kwaitset_wait(ws, &ev, &msg, -1);
	printf("waitset woke: %s, kind %d, cookie %p\n", kerr_str(err), ev.kind,
	       ev.cookie);
	err = kwaitset_wait(ws, &ev, &msg, 0);
	printf("reported again before the read: %d kind %d\n", err, ev.kind);
	m = kstream_read(s, buf, sizeof buf, 0);
	printf("read %ld: %.4s; then a wait: %d\n", m, buf,
	       kwaitset_wait(ws, &ev, &msg, 0));

	ask('c', 0, 0);
	err = kwaitset_wait(ws, &ev, &msg, -1);
	m = kstream_read(s, buf, sizeof buf, -1);
	n = kstream_read(s, buf + 3, sizeof buf, -1);
	printf("after the close: wait %d kind %d, read %ld (%.3s), then %ld\n",
	       err, ev.kind, m, buf, n);
	printf("write after the close: %ld\n", kstream_write(s, "x", 1, 0));
	kwaitset_remove_stream(ws, s);
	kcap_close(s);

	long other;
	printf("create %ld, fail %ld\n", sys_stream_create(&other),
	       sys_call2(SYS_STREAM_FAIL, ends[1].sel, 0));
	ask('x', 0, 0);
	printf("read of a failed stream: %ld, write %ld\n",
	       kstream_read(ends[1], buf, 4, -1),
	       kstream_write(ends[1], "x", 1, 0));
	kcap_close(ends[1]);
	kwaitset_destroy(ws);

	/* A thread blocked reading the third stream when the domain ends. */
	kthread_t *reader;
	err = kthread_create(&reader, "reader", 0, read_last, &ends[2]);
	for (int i = 0; !err && i < 3; i++)
		sys_call2(SYS_YIELD, 0, 0); /* it runs and blocks */
	ask('e', 0, 0);
	return err ? 3 : 0;
}
