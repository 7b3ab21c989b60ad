/*
 * `sculpt add NAME PKG`: a new component of the working composition. Its
 * start entry comes from the pkg's runtime file (generate.h); each service
 * the pkg requires is routed to its one provider, or to the one --route
 * names, and the chosen routes are recorded so that a provider added later
 * does not make them ambiguous. Nothing changes when a route is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "lib/state.h"
#include "options.h"

static const char about[] =
	"Adds component NAME, started from PKG (user/pkg/name[/version]; the\n"
	"newest installed version when none is given) of the target's depot,\n"
	"to the composition. Its quota, provided services and config come\n"
	"from the pkg's runtime file. Every service the pkg requires is routed\n"
	"automatically when exactly one provider exists (the parent, or one\n"
	"component whose pkg provides it); otherwise give --route\n"
	"SERVICE=TARGET (TARGET: a component or 'parent'). Nothing runs until\n"
	"'sculpt apply'.\n";

/* Adds the component with its routes to `c`; prints its routes. */
static int add(struct sculpt *s, struct sculpt_composition *c, const char *name,
               const char *pkg, const char *const *routes, size_t count,
               const char *ram, const char *caps, struct sculpt_diag *diag)
{
	char text[DEPOT_NAME_MAX], buffer[256];
	const char *service, *to;
	int err = sculpt_installed_pkg(s, pkg, text, diag);

	if (!err)
		err = composition_add(c, name, text, diag);
	for (size_t i = 0; !err && i < count; i++) {
		err = compose_split_route(routes[i], buffer, &service, &to,
		                          diag);
		if (!err)
			err = composition_route(c, name, service, to, diag);
	}
	if (!err && ram)
		err = composition_set(&composition_find(c, name)->ram, ram,
		                      diag);
	if (!err && caps)
		composition_find(c, name)->caps = strtoull(caps, NULL, 10);
	/* routed first, so that nothing is said to be added when it fails */
	if (!err)
		err = compose_routes(s, c, name, 0, diag);
	if (!err)
		printf("added '%s' (%s)\n", name, text);
	if (!err)
		err = compose_routes(s, c, name, 1, diag);
	return err;
}

int cmd_add(struct sculpt *s, int argc, char **argv)
{
	const char *routes[COMPOSITION_ROUTES_MAX], *ram = NULL, *caps = NULL;
	size_t route_count = 0;
	const struct option_row rows[] = {
		OPTION_LIST_ROW("route", "SERVICE=TARGET",
		                "route SERVICE to "
		                "component TARGET\n(or 'parent'); repeatable",
		                routes, &route_count, COMPOSITION_ROUTES_MAX),
		OPTION_TEXT_ROW("ram", "SIZE",
		                "override the pkg's ram (e.g. 8M)", &ram),
		OPTION_TEXT_ROW("caps", "N", "override the pkg's caps", &caps),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt add [--route SERVICE=TARGET]... NAME PKG",
		.about = about,
		.options = rows,
		.example = "  sculpt add hello alice/pkg/hello\n"
			   "  sculpt add client alice/pkg/client --route "
			   "Timer=timer\n",
		.operands_min = 2,
		.operands_max = 2,
		.operands_wrong = "give a component name and a pkg",
	};
	struct sculpt_composition *c;
	struct sculpt_diag diag = { "" };
	int first, err, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	if (caps && (strspn(caps, "0123456789") != strlen(caps) || !caps[0] ||
	             strlen(caps) > 10))
		return options_usage_error(&face,
		                           "--caps takes a whole number, "
		                           "not '%s'",
		                           caps);
	err = state_load_composition(s->target, &c, &diag);
	if (!err)
		err = add(s, c, argv[first], argv[first + 1], routes,
		          route_count, ram, caps, &diag);
	if (!err)
		err = state_save_composition(s->target, c, &diag);
	composition_free(c);
	if (err)
		return sculpt_report(&diag);
	puts("apply it with 'sculpt apply' (see 'sculpt plan')");
	return 0;
}
