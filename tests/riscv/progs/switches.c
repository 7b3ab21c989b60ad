/*
 * SYS_THREAD_NAME and SYS_PD_THREADS (kernel/riscv/abi.h), the root: its
 * threads by name and how often the scheduler switched to each. A
 * thread that yields to another 50 times is switched to at least 50
 * times; one blocked on a signal is switched to never while it waits and
 * once when it is woken; the main thread is switched to once when it
 * comes back after the hart idled. A name is cut and made printable; a
 * buffer for one entry gets one; a buffer not the caller's is refused.
 * The suite checks the lines (run-suite, thread_switches_counted).
 */
#include <kernel/kernel.h>
#include <stdint.h>

#include "sys.h"

#define YIELDS 50

int main(void);

static long sig_sleeper, sig_pinger;
static volatile int pinged;
static long stacks[2][512] __attribute__((aligned(16)));

static void name(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	sys_call2(SYS_THREAD_NAME, (long)s, (long)n);
}

static void sleeper(long arg)
{
	(void)arg;
	name("sleeper");
	for (;;)
		sys_signal_wait(sig_sleeper);
}

static void pinger(long arg)
{
	(void)arg;
	name("pinger");
	for (int i = 0; i < YIELDS; i++)
		sys_call2(SYS_YIELD, 0, 0);
	pinged = 1;
	for (;;)
		sys_signal_wait(sig_pinger);
}

/* Waits 30 ms on an empty waitset: every other thread runs until it
 * blocks, and the hart idles once all do. */
static void nap(long ws)
{
	static kmsg_t msg;
	sys_call3(SYS_WS_WAIT, ws, (long)&msg, 30);
}

static struct pd_thread list[8];

/* The switch count of this domain's thread `who`, or -1. */
static long count(const char *who)
{
	long n = sys_call3(SYS_PD_THREADS, -1, (long)list, 8);
	for (long i = 0; i < n && i < 8; i++) {
		const char *a = list[i].name, *b = who;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return (long)list[i].switches;
	}
	return -1;
}

int main(void)
{
	name("main thread\001 over fifteen");
	sig_sleeper = sys_signal_create();
	sig_pinger = sys_signal_create();
	long ws = sys_call2(SYS_WS_CREATE, 0, 0);
	if (sig_sleeper < 0 || sig_pinger < 0 || ws < 0 ||
	    sys_thread_create(sleeper, &stacks[0][512], 0) != 0)
		return 1;
	nap(ws);
	long slept = count("sleeper");
	if (sys_thread_create(pinger, &stacks[1][512], 0) != 0)
		return 2;
	while (!pinged)
		sys_call2(SYS_YIELD, 0, 0);
	nap(ws);
	sys_put_num("pinger switched to at least 50 times: ",
	            count("pinger") >= YIELDS);
	sys_put_num("sleeper while it waited: +", count("sleeper") - slept);
	long main_before = count("main?thread??ov");
	nap(ws);
	sys_put_num("main after the hart idled: +",
	            count("main?thread??ov") - main_before);
	sys_signal_submit(sig_sleeper, 1);
	nap(ws);
	sys_put_num("sleeper woken: +", count("sleeper") - slept);
	long n = sys_call3(SYS_PD_THREADS, -1, (long)list, 8);
	sys_put_num("threads: ", n);
	for (long i = 0; i < n && i < 8; i++) {
		char line[8 + THREAD_NAME_MAX];
		size_t k = 0;
		for (const char *c = "name: "; *c;)
			line[k++] = *c++;
		for (const char *c = list[i].name; *c;)
			line[k++] = *c++;
		line[k++] = '\n';
		sys_print(line, k);
	}
	list[1].switches = 12345;
	sys_put_num("one entry asked: ",
	            sys_call3(SYS_PD_THREADS, -1, (long)list, 1));
	sys_put_num("the second untouched: ", list[1].switches == 12345);
	sys_put_num("a buffer in the kernel: ",
	            sys_call3(SYS_PD_THREADS, -1, 0x80200000l, 1));
	sys_put_num("an unknown domain: ",
	            sys_call3(SYS_PD_THREADS, 77, (long)list, 1));
	return 0;
}
