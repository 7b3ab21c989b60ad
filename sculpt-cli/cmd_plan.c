/*
 * `sculpt plan`: what `sculpt apply` would do to the running children,
 * computed by libformat's plan (format/plan.h), the same comparison init
 * makes when its config changes. Writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/plan_text.h"
#include "lib/state.h"
#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Generates the configuration of the composition and compares it with\n"
	"the one init runs (TARGET/config/init.config) the way init will: one\n"
	"line per child: start, restart and why, update (a new config or more\n"
	"quota, delivered live), remove (its quota goes back to init),\n"
	"re-route (open sessions whose route changed are re-opened), keep.\n"
	"Writes nothing. With --config, prints the generated configuration.\n";

static int plan(struct sculpt *s, int show, struct sculpt_diag *diag)
{
	struct pkg_source pkgs = sculpt_pkg_source(s);
	struct sculpt_composition *c;
	struct runtime_config *running = NULL, *next = NULL;
	char *text = NULL;
	int changes = 0, err = state_load_composition(s->target, &c, diag);

	if (!err)
		err = generate_config(c, &pkgs, NULL, &text, &next, diag);
	if (!err)
		err = sculpt_running(s, &running, diag);
	if (!err && show)
		printf("%s\n", text);
	if (!err)
		changes = plan_print(stdout, running, next);
	if (!err && changes < 0)
		err = sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	if (!err && changes == 0)
		puts("nothing changes");
	runtime_config_free(running);
	runtime_config_free(next);
	free(text);
	composition_free(c);
	return err;
}

int cmd_plan(struct sculpt *s, int argc, char **argv)
{
	int show = 0;
	const struct option_row rows[] = {
		OPTION_FLAG_ROW("config", 0,
		                "also print the generated "
		                "configuration",
		                &show),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt plan [--config]",
		.about = about,
		.options = rows,
		.example =
			"  sculpt add hello alice/pkg/hello\n  sculpt plan\n",
		.operands_min = 0,
		.operands_max = 0,
		.operands_wrong = "plan takes no operands",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	if (status != OPTIONS_RUN)
		return status;
	return plan(s, show, &diag) ? sculpt_report(&diag) : 0;
}
