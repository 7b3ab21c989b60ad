/*
 * Serving a service (env.h, env_serve()): what every server component
 * does at start-up — a root component on its entrypoint, announced at its
 * parent under the service's name — with the failure said in its log.
 */
#include <runtime/env.h>
#include <runtime/root_component.h>

#include "parent_rpc.h"

int env_serve(env_t *env, struct root_component *root,
              const struct root_component_config *config)
{
	int err = root_component_init(root, env->ep, config);
	if (err == 0) {
		err = parent_announce(env->parent, config->name, root->cap);
		if (err != 0)
			root_component_dissolve(root);
	}
	if (err != 0)
		env_log(env, "cannot serve %s: %s", config->name,
		        runtime_strerror(err));
	return err;
}
