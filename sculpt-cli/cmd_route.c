/*
 * `sculpt route NAME SERVICE=TARGET...`: sets where a component's services
 * go, in the working composition. Each route is checked against the pkgs
 * (the target provides the service) before anything is saved.
 */
#include <stdio.h>

#include "compose.h"
#include "lib/state.h"
#include "options.h"

static const char about[] =
	"Routes SERVICE of component NAME to TARGET: another component whose\n"
	"pkg provides SERVICE, or 'parent' (init's parent, core, for the\n"
	"services the composition's parent_provides lists). Replaces an\n"
	"earlier route of that service. Checked against the pkgs' runtime\n"
	"files; nothing changes when a route is wrong. Nothing runs until\n"
	"'sculpt apply'.\n";

static int route(struct sculpt *s, struct sculpt_composition *c,
                 const char *name, char **routes, int count,
                 struct sculpt_diag *diag)
{
	char buffer[256];
	const char *service, *to;
	int err = 0;

	for (int i = 0; !err && i < count; i++) {
		err = compose_split_route(routes[i], buffer, &service, &to,
		                          diag);
		if (!err)
			err = composition_route(c, name, service, to, diag);
	}
	if (!err)
		err = compose_routes(s, c, name, 1, diag);
	return err;
}

int cmd_route(struct sculpt *s, int argc, char **argv)
{
	const struct command_face face = {
		.synopsis = "sculpt route NAME SERVICE=TARGET...",
		.about = about,
		.options = NULL,
		.example = "  sculpt route client Timer=timer LOG=parent\n",
		.operands_min = 2,
		.operands_max = -1,
		.operands_wrong = "give a component and at least one "
				  "SERVICE=TARGET",
	};
	struct sculpt_composition *c = NULL;
	struct sculpt_diag diag = { "" };
	int first, err, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	err = state_load_composition(s->target, &c, &diag);
	if (!err)
		err = route(s, c, argv[first], argv + first + 1,
		            argc - first - 1, &diag);
	if (!err)
		err = state_save_composition(s->target, c, &diag);
	composition_free(c);
	return err ? sculpt_report(&diag) : 0;
}
