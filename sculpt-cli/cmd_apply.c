/*
 * `sculpt apply`: the composition's configuration written to the target
 * (TARGET/config/init.config, atomically: core signals init, which applies
 * it live; a riscv target gets it and the archives it needs over its
 * control channel, deploy.c) and recorded as a new generation.
 */
#include <stdio.h>

#include "lib/state.h"
#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Generates the configuration of the composition, prints the plan\n"
	"(see 'sculpt plan'), records it as a new generation in\n"
	"TARGET/sculpt/generations/ and replaces TARGET/config/init.config\n"
	"atomically (a temporary file, then rename), so a running init applies\n"
	"it live: only the children the plan names change. When generation\n"
	"fails (a pkg not installed, a route missing, an invalid config),\n"
	"nothing is written. 'sculpt rollback' goes back.\n"
	"\n"
	"On a running target (one with TARGET/report/init.state) apply is a\n"
	"transaction: it watches init's state report until init runs the new\n"
	"generation; when a child fails, crashes or is incomplete, or a\n"
	"session stays pending past --timeout, it rolls back to the generation\n"
	"before by itself, says why and fails.\n"
	"\n"
	"On a riscv target (booted with 'sculpt boot --platform qemu-riscv64')\n"
	"the configuration goes over the machine's control channel, after\n"
	"the archives of its pkgs the machine lacks (see 'sculpt install'):\n"
	"init there applies it live, no reboot. When the machine is not\n"
	"running, or an archive cannot be pushed, nothing is written.\n";

int cmd_apply(struct sculpt *s, int argc, char **argv)
{
	int no_wait = 0;
	const char *timeout = NULL;
	const struct option_row rows[] = {
		DEPLOY_ROWS(&no_wait, &timeout),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt apply [--no-wait] [--timeout SECONDS]",
		.about = about,
		.options = rows,
		.example =
			"  sculpt add hello alice/pkg/hello\n  sculpt apply\n",
		.operands_min = 0,
		.operands_max = 0,
		.operands_wrong = "apply takes no operands",
	};
	struct sculpt_composition *c = NULL;
	struct sculpt_diag diag = { "" };
	struct deploy_options options;
	int first, err, status = options_parse(&face, argc, argv, &first);

	if (status == OPTIONS_RUN)
		status = deploy_options_read(&face, s, no_wait, timeout,
		                             &options);
	if (status != OPTIONS_RUN)
		return status;
	err = state_load_composition(s->target, &c, &diag);
	if (!err)
		err = sculpt_deploy(s, c, &options, &diag);
	composition_free(c);
	return err ? sculpt_report(&diag) : 0;
}
