/*
 * libruntime's main() for components (env.h). It sits alone in its file
 * so that the linker takes it from the library only for programs that
 * have no main() of their own (core, the tests and host tools keep
 * theirs). After component_construct() the main thread has nothing more
 * to do: it retires (kthread_retire) while the entrypoint serves, until
 * env_exit().
 */
#include "env_private.h"

#include <stdio.h>

int main(void)
{
	/* The platform's set-up of a component's process (signals and the
	 * like) is the kernel interface's, so that this file stays portable. */
	kprocess_setup();
	kcap_t parent = kboot_cap(0);
	if (!kcap_valid(parent)) {
		fprintf(stderr,
		        "this is a component: it runs only when core or "
		        "init starts it\n");
		return ENV_EXIT_NO_PARENT;
	}
	static env_t env; /* handed to the component for its whole life */
	int code = env_start(&env, parent);
	if (code != 0)
		return code;
	component_construct(&env);
	kthread_retire();
}
