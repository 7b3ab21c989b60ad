/*
 * The system calls of streams (abi.h, stream.h): a pair made by the
 * root, read, write, and the root's mark of a failed connection. Closing
 * an end is SYS_CAP_CLOSE of its last capability; waitsets take stream
 * ends through SYS_WS_ADD and SYS_WS_REMOVE (sys_ipc.c). Decode and
 * invoke as syscall.c says; a read or write that must wait blocks and
 * runs again from its decode when the stream changes (stream.h).
 */
#include "abi.h"
#include "kernel/kernel.h"
#include "page.h"
#include "stream.h"
#include "syscall_impl.h"

/* SYS_STREAM_CREATE: the root only; a free pair, its frames within the
 * root's quota, two free slots. */
static int decode_stream_create(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	if (!stream_available() || page_free_count() < STREAM_PAIR_FRAMES ||
	    !pd_ram_room(t->pd, STREAM_PAIR_FRAMES) ||
	    cap_free_slots(&t->pd->cspace) < 2)
		return KERR_NOMEM;
	return 0;
}

/* The first end's selector in a0, the second's in a1. */
static long invoke_stream_create(struct thread *t, const union sys_args *args,
                                 struct thread **next)
{
	struct stream_end *e = stream_create(t->pd);
	int first = cap_insert(&t->pd->cspace,
	                       (struct cap){ KCAP_TYPE_STREAM, e });
	int second = cap_insert(&t->pd->cspace, (struct cap){ KCAP_TYPE_STREAM,
	                                                      stream_peer(e) });
	t->frame.x[REG_A1] = (uint64_t)second;
	return first;
}

/* The stream end argument 0 names: KERR_WRONG_TYPE for a selector that
 * names none (kernel.h says so for any capability that is no stream,
 * an empty one too). */
static int decode_end(struct thread *t, union sys_args *args)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	if (!c || c->type != KCAP_TYPE_STREAM)
		return KERR_WRONG_TYPE;
	args->stream.end = c->obj;
	return 0;
}

/* A read's or write's (sel, buf, n, timeout_ms): n at least 1 and cut to
 * a ring's size (no call moves more), the buffer the caller's with
 * `perm` for those bytes, the failure first. */
static int decode_transfer(struct thread *t, union sys_args *args,
                           unsigned perm)
{
	int err = decode_end(t, args);
	if (err)
		return err;
	uintptr_t buf = arg(t, 1);
	size_t n = arg(t, 2);
	if (n == 0)
		return KERR_INVALID;
	n = n < STREAM_RING_SIZE ? n : STREAM_RING_SIZE;
	if (!vm_user_range_ok(&t->pd->space, buf, n, perm))
		return KERR_INVALID;
	if (stream_failed(args->stream.end))
		return KERR_REVOKED;
	args->stream.buf = buf;
	args->stream.n = n;
	return 0;
}

/* What is there now decides: bytes are read; without any, the end of
 * the stream is 0; else a poll times out, a second waiting thread is
 * refused and the first blocks. */
static int decode_stream_read(struct thread *t, union sys_args *args)
{
	int err = decode_transfer(t, args, VM_W);
	if (err)
		return err;
	struct stream_end *e = args->stream.end;
	size_t have = stream_readable(e);
	args->stream.n = have < args->stream.n ? have : args->stream.n;
	if (have || stream_peer_closed(e))
		return 0;
	if ((long)arg(t, 3) == 0)
		return KERR_TIMEOUT;
	if (stream_has_reader(e))
		return KERR_INVALID; /* one thread waits on an end at a time */
	return 0;
}

static long invoke_stream_read(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	struct stream_end *e = args->stream.end;
	if (args->stream.n) {
		stream_read(e, &t->pd->space, args->stream.buf, args->stream.n);
		return (long)args->stream.n;
	}
	if (stream_peer_closed(e))
		return 0;
	stream_block_reader(e, t);
	t->deadline = thread_deadline((long)arg(t, 3));
	return 0;
}

/* As many as fit now; a closed other end is KERR_REVOKED (a write to a
 * closed connection); no room: as for a read. */
static int decode_stream_write(struct thread *t, union sys_args *args)
{
	int err = decode_transfer(t, args, VM_R);
	if (err)
		return err;
	struct stream_end *e = args->stream.end;
	if (stream_peer_closed(e))
		return KERR_REVOKED;
	size_t room = stream_room(e);
	args->stream.n = room < args->stream.n ? room : args->stream.n;
	if (room)
		return 0;
	if ((long)arg(t, 3) == 0)
		return KERR_TIMEOUT;
	if (stream_has_writer(e))
		return KERR_INVALID;
	return 0;
}

static long invoke_stream_write(struct thread *t, const union sys_args *args,
                                struct thread **next)
{
	struct stream_end *e = args->stream.end;
	if (args->stream.n) {
		stream_write(e, &t->pd->space, args->stream.buf,
		             args->stream.n);
		return (long)args->stream.n;
	}
	stream_block_writer(e, t);
	t->deadline = thread_deadline((long)arg(t, 3));
	return 0;
}

/* SYS_STREAM_FAIL: the pair's creator only (the root's Net service,
 * which knows the connection failed). */
static int decode_stream_fail(struct thread *t, union sys_args *args)
{
	int err = decode_end(t, args);
	if (!err && !stream_owned_by(args->stream.end, t->pd))
		err = KERR_DENIED;
	return err;
}

static long invoke_stream_fail(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	stream_fail(args->stream.end);
	return 0;
}

void sys_table_stream(struct syscall *table)
{
	table[SYS_STREAM_CREATE] = (struct syscall){ decode_stream_create,
		                                     invoke_stream_create };
	table[SYS_STREAM_READ] = (struct syscall){ decode_stream_read,
		                                   invoke_stream_read };
	table[SYS_STREAM_WRITE] = (struct syscall){ decode_stream_write,
		                                    invoke_stream_write };
	table[SYS_STREAM_FAIL] = (struct syscall){ decode_stream_fail,
		                                   invoke_stream_fail };
}
