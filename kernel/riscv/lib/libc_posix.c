/*
 * The rest of what picolibc and GCC ask of the platform once init links
 * (tests/riscv/module.mk): picolibc's abort() (reached by assert()) raises
 * SIGABRT, whose default action it carries out with kill(getpid(), sig),
 * so a domain has one process id and a signal sent to itself ends it by
 * a breakpoint (ebreak): the kernel kills it with exception 3, which its
 * creator reports as a domain killed, not one that exited (an exit
 * status could not say it: SYS_EXIT keeps code & 127, abi.h); and GCC 12 calls
 * __atomic_exchange_1 for a byte's atomic exchange (the A extension has
 * word and double-word AMOs only, and this compiler ships no libatomic),
 * done here with a compare-and-swap loop on the word that holds the byte.
 *
 * And what OpenSSL asks of it (mk/openssl-riscv.mk), each what a domain
 * really has: the kernel's monotonic clock and no wall clock
 * (clock_gettime, gettimeofday), no file system (stat, opendir: nothing
 * exists), one user (getuid: never set-uid), a sleep in the kernel
 * (usleep, sleep) and the TLS link's pauses (nanosleep).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <kernel/kernel.h>

enum { SELF = 1 };  /* the one process of a domain */
enum { OWNER = 0 }; /* its one user and group: no set-uid, no others */

pid_t getpid(void)
{
	return SELF;
}

int kill(pid_t pid, int sig)
{
	if (pid != SELF && pid != 0) {
		errno = ESRCH;
		return -1;
	}
	if (sig != 0) {
		__asm__ volatile("ebreak");
		__builtin_unreachable(); /* the kernel ends the domain */
	}
	return 0;
}

/* Little-endian, as riscv is: byte k of a word is bits 8k..8k+7. */
uint8_t __atomic_exchange_1(volatile void *address, uint8_t value, int order)
{
	uintptr_t at = (uintptr_t)address;
	volatile uint32_t *word = (volatile uint32_t *)(at & ~(uintptr_t)3);
	unsigned shift = (unsigned)(at & 3u) * 8u;
	uint32_t mask = UINT32_C(0xff) << shift;
	uint32_t old = __atomic_load_n(word, __ATOMIC_RELAXED), new;
	(void)order; /* always sequentially consistent: at least as strong */
	do
		new = (old & ~mask) | ((uint32_t)value << shift);
	while (!__atomic_compare_exchange_n(word, &old, new, 1,
	                                    __ATOMIC_SEQ_CST,
	                                    __ATOMIC_RELAXED));
	return (uint8_t)((old & mask) >> shift);
}

/* A domain has no file system (files come as ROMs): no directory exists,
 * so none is ever open. */
DIR *opendir(const char *name)
{
	(void)name;
	errno = ENOENT;
	return NULL;
}

struct dirent *readdir(DIR *dir)
{
	(void)dir;
	errno = EBADF;
	return NULL;
}

int closedir(DIR *dir)
{
	(void)dir;
	errno = EBADF;
	return -1;
}

/* The kernel's clock (kclock_ns, since boot) is the monotonic one; the
 * board has no wall clock a domain can read, so CLOCK_REALTIME (and with
 * it time() through gettimeofday) is refused, never made up. */
int clock_gettime(clockid_t clock, struct timespec *ts)
{
	if (clock != CLOCK_MONOTONIC) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ns = kclock_ns();
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}

/* No wall clock (above): time() says (time_t)-1, as POSIX has it for a
 * clock that is not available. */
int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	(void)tv;
	(void)tz;
	errno = ENOSYS;
	return -1;
}

/* No file system: no path names a file. */
int stat(const char *restrict path, struct stat *restrict st)
{
	(void)path;
	(void)st;
	errno = ENOENT;
	return -1;
}

uid_t getuid(void)
{
	return OWNER;
}

uid_t geteuid(void)
{
	return OWNER;
}

gid_t getgid(void)
{
	return OWNER;
}

gid_t getegid(void)
{
	return OWNER;
}

/* Sleeps in the kernel: a wait on an empty waitset that only its timeout
 * ends (milliseconds, rounded up). */
int usleep(useconds_t us)
{
	kwaitset_t *ws;
	kevent_t ev;
	int rc = kwaitset_create(&ws);
	if (rc != 0) {
		errno = ENOMEM;
		return -1;
	}
	rc = kwaitset_wait(ws, &ev, NULL, (int)((us + 999u) / 1000u));
	kwaitset_destroy(ws);
	if (rc != KERR_TIMEOUT) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

/* usleep() for a timespec (pkg/remote/link/reconnect.c's pauses); never
 * interrupted, so `rem` is left alone. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	(void)rem;
	if (req->tv_nsec < 0 || req->tv_nsec >= 1000000000L ||
	    req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ms = (uint64_t)req->tv_sec * 1000u +
	              ((uint64_t)req->tv_nsec + 999999u) / 1000000u;
	for (; ms > 1000000u; ms -= 1000000u)
		if (usleep(1000000000u) != 0)
			return -1;
	return usleep((useconds_t)(ms * 1000u));
}

unsigned sleep(unsigned seconds)
{
	for (; seconds > 0; seconds--)
		if (usleep(1000000u) != 0)
			return seconds;
	return 0;
}
