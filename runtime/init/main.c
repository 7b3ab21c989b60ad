/*
 * The program `init`: its component_construct() (runtime/env.h) hands the
 * environment to init_start() (init.h) and leaves the rest to the
 * entrypoint, which serves the children's parent objects and config ROMs
 * from then on. Init keeps running when its config is invalid, so that a
 * person reads the logged reason instead of a vanished component.
 */
#include <stdlib.h>

#include "init.h"

void component_construct(env_t *env)
{
	/* Lives as long as the component; the callbacks find it by their
	 * context pointers, so no global refers to it. */
	struct init *init = calloc(1, sizeof(*init));

	if (init) {
		init_start(init, env);
		return;
	}
	env_log(env, "out of memory");
	env_exit(env, 1);
}
