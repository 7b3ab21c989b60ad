/*
 * What picolibc asks of its platform: stdout and stderr (one console
 * stream over SYS_PRINT, a line at a time), stdin (always at its end), _exit, and the locks its
 * malloc and stdio take (__retarget_lock_*, sys/lock.h), which must hold
 * across threads that the kernel preempts. The heap under picolibc's
 * malloc grows from the domain's quota (sbrk.c).
 */
#include "lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/lock.h>

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

/* --- the console stream ---------------------------------------------------- */

/* One line buffer for both streams, under the console lock: lines of
 * different threads do not mix. Longer lines go out in pieces of
 * SYS_PRINT_MAX. */
static struct __lock console_lock;
static char line[SYS_PRINT_MAX];
static size_t line_len;

static void flush_line(void)
{
	if (line_len)
		sys_print(line, line_len);
	line_len = 0;
}

static int console_put(char c, FILE *f)
{
	(void)f;
	__retarget_lock_acquire_recursive(&console_lock);
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof line)
		flush_line();
	__retarget_lock_release_recursive(&console_lock);
	return (unsigned char)c;
}

static int console_flush(FILE *f)
{
	(void)f;
	__retarget_lock_acquire_recursive(&console_lock);
	flush_line();
	__retarget_lock_release_recursive(&console_lock);
	return 0;
}

/* Nothing to read: the console is output only (a driver reads the UART). */
static int no_input(FILE *f)
{
	(void)f;
	return EOF;
}

static FILE console = FDEV_SETUP_STREAM(console_put, NULL, console_flush,
                                        _FDEV_SETUP_WRITE);
static FILE input = FDEV_SETUP_STREAM(NULL, no_input, NULL, _FDEV_SETUP_READ);
FILE *const stdin = &input;
FILE *const stdout = &console;
FILE *const stderr = &console;

/* picolibc's fflush() (tinystdio) takes no NULL, which C17 7.21.5.2
 * defines as every stream and libruntime's env_exit() passes; this one,
 * linked before picolibc's, does. */
int fflush(FILE *stream)
{
	if (!stream)
		return console_flush(&console);
	return stream->flush ? stream->flush(stream) : 0;
}

/* --- ending ------------------------------------------------------------------ */

_Noreturn void _exit(int code)
{
	console_flush(&console);
	sys_exit(code);
}
