/*
 * `sculpt rollback`: the generation before the current one applied again:
 * its init.config replaces the target's (atomically) and its composition
 * becomes the working one; `current` points to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/plan_text.h"
#include "lib/state.h"
#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Applies the generation before the current one again: its\n"
	"configuration replaces TARGET/config/init.config atomically (init\n"
	"applies it live) and its composition replaces the working one, so\n"
	"further changes start from it. Prints the plan. Repeat to go further\n"
	"back; 'sculpt apply' then records a new generation.\n";

static int plan_of(struct sculpt *s, const char *config, struct sculpt_diag *diag)
{
	struct runtime_config *running, *next;
	struct runtime_config_error error;
	int err = sculpt_running(s, &running, diag);

	if (err)
		return err;
	if (runtime_config_parse(config, strlen(config), &next, &error)) {
		runtime_config_free(running);
		return sculpt_fail(diag, SCULPT_E_CONFIG, "the recorded "
		                   "configuration is invalid: %s", error.message);
	}
	plan_print(stdout, running, next);
	runtime_config_free(running);
	runtime_config_free(next);
	return 0;
}

static int rollback(struct sculpt *s, struct sculpt_diag *diag)
{
	unsigned current, previous;
	char *composition = NULL, *config = NULL, path[PATH_MAX];
	int err = state_current(s->target, &current, diag);

	if (!err)
		err = state_previous(s->target, current, &previous, diag);
	if (!err && previous == 0)
		err = sculpt_fail(diag, SCULPT_E_GENERATION, "target '%s' has no "
		                  "generation before %u to roll back to", s->target,
		                  current);
	if (!err)
		err = state_generation(s->target, previous, &composition, &config,
		                       diag);
	if (!err)
		err = plan_of(s, config, diag);
	if (!err)
		err = state_path(s->target, "config/init.config", path, diag);
	if (!err)
		err = state_write(path, config, strlen(config), diag);
	if (!err)
		err = state_set_current(s->target, previous, diag);
	if (!err)
		err = state_path(s->target, "sculpt/composition.json", path, diag);
	if (!err)
		err = state_write(path, composition, strlen(composition), diag);
	if (!err)
		printf("rolled back from generation %u to %u\n", current, previous);
	free(composition);
	free(config);
	return err;
}

int cmd_rollback(struct sculpt *s, int argc, char **argv)
{
	const struct verb_face face = {
		.synopsis = "sculpt rollback",
		.about = about, .options = NULL,
		.example = "  sculpt apply\n  sculpt rollback\n",
		.operands_min = 0, .operands_max = 0,
		.operands_wrong = "rollback takes no operands",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	return rollback(s, &diag) ? sculpt_report(&diag) : 0;
}
