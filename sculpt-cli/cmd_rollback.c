/*
 * `sculpt rollback`: the generation before the current one applied again:
 * its init.config replaces the target's (atomically) and its composition
 * becomes the working one; `current` points to it.
 */
#include <stdio.h>

#include "lib/state.h"
#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Applies the generation before the current one again: its\n"
	"configuration replaces TARGET/config/init.config atomically (init\n"
	"applies it live) and its composition replaces the working one, so\n"
	"further changes start from it. Prints the plan. Repeat to go further\n"
	"back; 'sculpt apply' then records a new generation.\n";

static int rollback(struct sculpt *s, struct sculpt_diag *diag)
{
	unsigned current = 0, previous = 0;
	int err = state_current(s->target, &current, diag);

	if (!err)
		err = state_previous(s->target, current, &previous, diag);
	if (!err && current == 0)
		err = sculpt_fail(
			diag, SCULPT_E_GENERATION,
			"target '%s' has no "
			"applied generation yet ('sculpt apply' makes "
			"one)",
			s->target);
	if (!err && previous == 0)
		err = sculpt_fail(diag, SCULPT_E_GENERATION,
		                  "target '%s' has no "
		                  "generation before %u to roll back to",
		                  s->target, current);
	if (!err)
		err = sculpt_restore(s, previous, diag);
	if (!err)
		printf("rolled back from generation %u to %u\n", current,
		       previous);
	return err;
}

int cmd_rollback(struct sculpt *s, int argc, char **argv)
{
	const struct command_face face = {
		.synopsis = "sculpt rollback",
		.about = about,
		.options = NULL,
		.example = "  sculpt apply\n  sculpt rollback\n",
		.operands_min = 0,
		.operands_max = 0,
		.operands_wrong = "rollback takes no operands",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	return rollback(s, &diag) ? sculpt_report(&diag) : 0;
}
