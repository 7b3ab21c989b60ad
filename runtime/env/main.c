/*
 * libruntime's main() for components (env.h). It sits alone in its file
 * so that the linker takes it from the library only for programs that
 * have no main() of their own (core, the tests and host tools keep
 * theirs). After component_construct() the main thread has nothing more
 * to do: it sleeps while the entrypoint serves, until env_exit().
 */
#include "env_private.h"

#include <signal.h>
#include <stdio.h>

int main(void)
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
	kcap_t parent = kboot_cap(0);
	if (!kcap_valid(parent)) {
		fprintf(stderr, "this is a component: it runs only when core or "
		        "init starts it\n");
		return ENV_EXIT_NO_PARENT;
	}
	static env_t env;   /* handed to the component for its whole life */
	int code = env_start(&env, parent);
	if (code != 0)
		return code;
	component_construct(&env);
	for (;;)
		kthread_park(kthread_park_ticket());
}
