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
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "'%s' is no route: give "
		                   "SERVICE=TARGET, e.g. Timer=timer or "
		                   "LOG=parent",
		                   text);
	*equals = '\0';
	*service = buffer;
	*to = equals + 1;
	return 0;
}

/* Asks the person which of several providers serves `service` (the
 * interactive mode's s->ask); SCULPT_E_ROUTE as before when there is
 * nothing to choose from or no answer. */
static int ask_route(struct sculpt *s, const struct sculpt_composition *c,
                     const struct generate_runtimes *runtimes, size_t index,
                     const char *service, const char **to,
                     struct sculpt_diag *diag)
{
	const char *names[GENERATE_CANDIDATES_MAX];
	char question[256];
	size_t count = generate_candidates(c, runtimes, index, service, names);
	int chosen;

	if (count < 2)
		return SCULPT_E_ROUTE;
	snprintf(question, sizeof(question), "'%s' needs %s from one of",
	         c->components[index].name, service);
	chosen = s->ask(s, question, names, count);
	if (chosen < 0)
		return SCULPT_E_ROUTE;
	*to = names[chosen];
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

		err = generate_route(c, &runtimes, index, requires->names[i],
		                     &to, diag);
		if (err == SCULPT_E_ROUTE && s->ask &&
		    !composition_route_of(component, requires->names[i]))
			err = ask_route(s, c, &runtimes, index,
			                requires->names[i], &to, diag);
		if (!err &&
		    !composition_route_of(component, requires->names[i]))
			err = composition_route(c, name, requires->names[i], to,
			                        diag);
		if (!err && print)
			printf("  %s -> %s\n", requires->names[i], to);
	}
	generate_runtimes_free(&runtimes);
	return err;
}
