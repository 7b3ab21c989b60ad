/*
 * Lines of two threads on one stream (kernel/riscv/lib/libc.c): each
 * thread prints its lines in two halves and yields between them, so the
 * other thread writes while a line is half done. Every line must come
 * out whole, "[linemix] A line N: ..." or "B", never a mix (core's LOG
 * lines from its entrypoint and its main thread's control lines mixed
 * so, scenario 57). The suite checks the lines (run-suite,
 * stdout_lines_of_threads_whole).
 */
#include <kernel/kernel.h>

#include <stdio.h>

#include "sys.h"

#define LINES 20

static void lines(const char *who)
{
	for (int i = 0; i < LINES; i++) {
		printf("%s line %d: first half, ", who, i);
		sys_call2(SYS_YIELD, 0, 0);
		printf("second half\n");
		sys_call2(SYS_YIELD, 0, 0);
	}
}

static void second(void *arg)
{
	(void)arg;
	lines("B");
}

int main(void);

int main(void)
{
	kthread_t *b;
	if (kthread_create(&b, "linemix-b", 0, second, NULL) != 0)
		return 1;
	lines("A");
	return kthread_join(b) == 0 ? 0 : 2;
}
