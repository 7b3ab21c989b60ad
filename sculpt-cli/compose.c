/*
 * Shared parts of the composing verbs (compose.h).
 */
#include "compose.h"

#include <stdio.h>
#include <string.h>

int compose_split_route(const char *text, char buffer[256],
                        const char **service, const char **to,
                        struct sculpt_diag *diag)
{
	char *equals;

	if (snprintf(buffer, 256, "%s", text) >= 256 ||
	    !(equals = strchr(buffer, '=')) || equals == buffer || !equals[1])
		return sculpt_fail(diag, SCULPT_E_USAGE, "'%s' is no route: give "
		                   "SERVICE=TARGET, e.g. Timer=timer or "
		                   "LOG=parent", text);
	*equals = '\0';
	*service = buffer;
	*to = equals + 1;
	return 0;
}

int compose_routes(struct sculpt *s, struct sculpt_composition *c,
                         const char *name, int print, struct sculpt_diag *diag)
{
	struct pkg_source pkgs = sculpt_pkg_source(s);
	struct generate_runtimes runtimes;
	const struct sculpt_component *component = composition_find(c, name);
	size_t index = (size_t)(component - c->components);
	const struct runtime_name_list *requires;
	int err = generate_load_runtimes(c, &pkgs, &runtimes, diag);

	if (err)
		return err;
	requires = &runtimes.of[index]->requires;
	for (size_t i = 0; !err && i < requires->count; i++) {
		const char *to;

		err = generate_route(c, &runtimes, index, requires->names[i], &to,
		                     diag);
		if (!err && !composition_route_of(component, requires->names[i]))
			err = composition_route(c, name, requires->names[i], to, diag);
		if (!err && print)
			printf("  %s -> %s\n", requires->names[i], to);
	}
	generate_runtimes_free(&runtimes);
	return err;
}
