/*
 * `sculpt remove NAME`: takes a component out of the working composition;
 * refused while another component routes a service to it.
 */
#include <stdio.h>

#include "compose.h"
#include "lib/state.h"
#include "options.h"

static const char about[] =
	"Removes component NAME from the composition. Refused while another\n"
	"component routes a service to it (route that elsewhere first). The\n"
	"running child ends at the next 'sculpt apply'; its quota goes back to\n"
	"init.\n";

int cmd_remove(struct sculpt *s, int argc, char **argv)
{
	const struct command_face face = {
		.synopsis = "sculpt remove NAME",
		.about = about,
		.options = NULL,
		.example = "  sculpt remove hello\n  sculpt apply\n",
		.operands_min = 1,
		.operands_max = 1,
		.operands_wrong = "give one component name",
	};
	struct sculpt_composition *c = NULL;
	struct sculpt_diag diag = { "" };
	int first, err, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	err = state_load_composition(s->target, &c, &diag);
	if (!err)
		err = composition_remove(c, argv[first], &diag);
	if (!err)
		err = state_save_composition(s->target, c, &diag);
	composition_free(c);
	if (err)
		return sculpt_report(&diag);
	printf("removed '%s'; apply it with 'sculpt apply'\n", argv[first]);
	return 0;
}
