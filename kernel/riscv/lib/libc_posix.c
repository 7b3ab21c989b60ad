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
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

enum { SELF = 1 }; /* the one process of a domain */

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
