/*
 * The component's own process on Linux (kernel.h, "the component's own
 * process"): the signal dispositions a domain's process needs before a
 * component runs in it, its end, and how a fault that ends one is
 * numbered (kfault_numbering). The only place that touches POSIX
 * process state for libruntime, which calls kprocess_setup() from its
 * main() and kprocess_exit() from env_exit().
 */
#include <kernel/kernel.h>

#include <signal.h>
#include <unistd.h>

void kprocess_setup(void)
{
	/* A domain may not grow files (RLIMIT_FSIZE 0): when core's stderr is
	 * a regular file, a diagnostic written there must fail, not kill. */
	signal(SIGXFSZ, SIG_IGN);
	/* Its stdout and stderr are pipes that core reads (core/README.md);
	 * should core be gone, a write there fails with EPIPE instead of
	 * killing the component on the spot (it dies with core anyway). */
	signal(SIGPIPE, SIG_IGN);
	/* Ctrl-C on core's terminal reaches every process of its group: a
	 * component leaves it to core, which ends its domains in order. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
}

_Noreturn void kprocess_exit(int code)
{
	/* _exit, not exit: the other threads may be anywhere, so no atexit
	 * handler or stdio flush of the C library runs behind them. */
	_exit(code);
}

enum kfault_numbering kfault_numbering(void)
{
	return KFAULT_SIGNAL; /* a process dies of a signal */
}
