/*
 * What picolibc asks of its platform: stdout and stderr (over SYS_PRINT,
 * a line at a time, each its own stream: on the console, or into the
 * domain's output rings that core reads), write(2) and close(2) of their
 * descriptors 1 and 2, stdin (always at its end), _exit, and the locks its
 * malloc and stdio take (__retarget_lock_*, sys/lock.h), which must hold
 * across threads that the kernel preempts. The heap under picolibc's
 * malloc grows from the domain's quota (sbrk.c).
 */
#include "lib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/lock.h>
#include <unistd.h>

/* --- locks --------------------------------------------------------------- */

struct __lock __lock___libc_recursive_mutex;

static uintptr_t me(void)
{
	return (uintptr_t)kthread_self();
}

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof **lock);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	uintptr_t free_ = 0;
	return atomic_compare_exchange_strong(&lock->owner, &free_, me());
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	while (!__retarget_lock_try_acquire(lock))
		sys_call2(SYS_YIELD, 0, 0);
}

void __retarget_lock_release(_LOCK_T lock)
{
	atomic_store(&lock->owner, 0);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	if (atomic_load(&lock->owner) == me()) {
		lock->depth++;
		return 1;
	}
	if (!__retarget_lock_try_acquire(lock))
		return 0;
	lock->depth = 1;
	return 1;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	while (!__retarget_lock_try_acquire_recursive(lock))
		sys_call2(SYS_YIELD, 0, 0);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (--lock->depth == 0)
		__retarget_lock_release(lock);
}

/* --- stdout and stderr ------------------------------------------------------ */

/* Each thread has its own line of each stream (thread-local), so lines
 * of different threads never mix: a thread preempted in the middle of a
 * line leaves its half where no other thread writes (one buffer for all
 * threads mixed core's LOG lines from its entrypoint with its main
 * thread's control lines, which scenario 57 saw as a lost line). A line
 * goes out whole at its newline, longer lines in pieces of SYS_PRINT_MAX,
 * under one lock, so a line the kernel takes in parts stays in one piece.
 * The kernel takes a domain's output into its output ring (abi.h,
 * SYS_PRINT) as far as there is room: the rest waits, yielding, until
 * core has read the ring (a pipe holds up its writer so on linux). */
struct out_stream {
	FILE file;   /* first: picolibc hands the FILE to put and flush */
	long stream; /* OUTPUT_STDOUT or OUTPUT_STDERR */
	int closed;  /* close(2) of its descriptor */
};

struct pending_line {
	char text[SYS_PRINT_MAX];
	size_t len;
};

/* The calling thread's unfinished line of stdout [0] and stderr [1]. */
static _Thread_local struct pending_line pending[2];

static struct __lock output_lock;

/* Every byte, or -1 once the kernel refuses (never for our own buffer). */
static int print_all(long stream, const char *data, size_t len)
{
	while (len > 0) {
		size_t n = len < SYS_PRINT_MAX ? len : SYS_PRINT_MAX;
		long taken = sys_call3(SYS_PRINT, (long)data, (long)n, stream);
		if (taken < 0)
			return -1;
		if (taken == 0)
			sys_call2(SYS_YIELD, 0, 0); /* the ring is full */
		data += taken;
		len -= (size_t)taken;
	}
	return 0;
}

static struct pending_line *pending_of(const struct out_stream *o)
{
	return &pending[o->stream == OUTPUT_STDERR];
}

/* The calling thread's line of `o` out. Precondition: output_lock held. */
static void flush_line(struct out_stream *o)
{
	struct pending_line *p = pending_of(o);
	if (p->len && !o->closed)
		(void)print_all(o->stream, p->text, p->len);
	p->len = 0;
}

static int stream_put(char c, FILE *f)
{
	struct out_stream *o = (struct out_stream *)f;
	struct pending_line *p = pending_of(o);
	p->text[p->len++] = c;
	if (c == '\n' || p->len == sizeof p->text) {
		__retarget_lock_acquire_recursive(&output_lock);
		flush_line(o);
		__retarget_lock_release_recursive(&output_lock);
	}
	return (unsigned char)c;
}

static int stream_flush(FILE *f)
{
	__retarget_lock_acquire_recursive(&output_lock);
	flush_line((struct out_stream *)f);
	__retarget_lock_release_recursive(&output_lock);
	return 0;
}

/* Nothing to read: stdin is at its end (a driver reads the UART). */
static int no_input(FILE *f)
{
	(void)f;
	return EOF;
}

static struct out_stream out = {
	.file = FDEV_SETUP_STREAM(stream_put, NULL, stream_flush,
	                          _FDEV_SETUP_WRITE),
	.stream = OUTPUT_STDOUT,
};
static struct out_stream err = {
	.file = FDEV_SETUP_STREAM(stream_put, NULL, stream_flush,
	                          _FDEV_SETUP_WRITE),
	.stream = OUTPUT_STDERR,
};
static FILE input = FDEV_SETUP_STREAM(NULL, no_input, NULL, _FDEV_SETUP_READ);
FILE *const stdin = &input;
FILE *const stdout = &out.file;
FILE *const stderr = &err.file;

/* picolibc's fflush() (tinystdio) takes no NULL, which C17 7.21.5.2
 * defines as every stream and libruntime's env_exit() passes; this one,
 * linked before picolibc's, does. */
int fflush(FILE *stream)
{
	if (!stream) {
		stream_flush(&out.file);
		return stream_flush(&err.file);
	}
	return stream->flush ? stream->flush(stream) : 0;
}

/* The descriptors 1 and 2, as POSIX write(2) and close(2) know them:
 * write goes out unbuffered, after what the calling thread's line of the
 * stream holds. */
static struct out_stream *stream_of(int fd)
{
	return fd == 1 ? &out : fd == 2 ? &err : NULL;
}

ssize_t write(int fd, const void *data, size_t len)
{
	struct out_stream *o = stream_of(fd);
	if (!o || o->closed) {
		errno = EBADF;
		return -1;
	}
	__retarget_lock_acquire_recursive(&output_lock);
	flush_line(o);
	int rc = print_all(o->stream, data, len);
	__retarget_lock_release_recursive(&output_lock);
	if (rc != 0) {
		errno = EFAULT;
		return -1;
	}
	return (ssize_t)len;
}

int close(int fd)
{
	struct out_stream *o = stream_of(fd);
	if (!o || o->closed) {
		errno = EBADF;
		return -1;
	}
	stream_flush(&o->file);
	o->closed = 1;
	return 0;
}

/* --- ending ------------------------------------------------------------------ */

_Noreturn void _exit(int code)
{
	fflush(NULL);
	sys_exit(code);
}
