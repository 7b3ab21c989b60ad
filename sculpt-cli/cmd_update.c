/*
 * `sculpt update [NAME]`: refreshes the depot users' verified metadata,
 * installs the newest signed version of each component's pkg (or NAME's)
 * when it is newer than the one composed, and applies the result: the plan
 * shows that only the children whose pkg changed restart.
 */
#include <stdio.h>
#include <string.h>

#include "install.h"
#include "lib/state.h"
#include "options.h"

static const char about[] =
	"For every component (or only NAME), asks the verified metadata of\n"
	"its depot user for the newest version of its pkg; when that is newer\n"
	"than the composed one, installs it (see 'sculpt install') and moves\n"
	"the component to it. Then applies the composition like 'sculpt\n"
	"apply' (a transaction that rolls back when the new version fails on\n"
	"a running target): only the children whose pkg changed restart, the\n"
	"others keep running. --no-apply only updates the composition.\n";

/* Moves component `c` to the newest version of its pkg; *moved is set when
 * it changed. */
static int update_one(struct sculpt *s, struct sculpt_component *c, int *moved,
                      struct sculpt_diag *diag)
{
	struct depot_name name;
	struct depot_diag ignored;
	char base[DEPOT_NAME_MAX], newest[DEPOT_NAME_MAX];
	int err;

	if (depot_name_parse(c->pkg, &name, &ignored))
		return sculpt_fail(diag, SCULPT_E_PKG, "'%s' is not a pkg",
		                   c->pkg);
	snprintf(base, sizeof(base), "%s/pkg/%s", name.user, name.name);
	err = install_pkg_for(s, base, install_target_arch(s), newest, diag);
	if (err || strcmp(newest, c->pkg) <= 0) {
		if (!err)
			printf("%s: %s is the newest\n", c->name, c->pkg);
		return err;
	}
	printf("%s: %s -> %s\n", c->name, c->pkg, newest);
	*moved = 1;
	err = install_push(s, newest, install_target_arch(s), diag);
	return err ? err : composition_set(&c->pkg, newest, diag);
}

static int update(struct sculpt *s, const char *only, int apply,
                  const struct deploy_options *options,
                  struct sculpt_diag *diag)
{
	struct sculpt_composition *c;
	int moved = 0, err = state_load_composition(s->target, &c, diag);

	if (!err && only && !composition_find(c, only))
		err = sculpt_fail(diag, SCULPT_E_COMPONENT, "no component '%s'",
		                  only);
	for (size_t i = 0; !err && i < c->count; i++)
		if (!only || strcmp(c->components[i].name, only) == 0)
			err = update_one(s, &c->components[i], &moved, diag);
	if (!err && !moved)
		puts("everything is up to date");
	if (!err && moved && apply)
		err = sculpt_deploy(s, c, options, diag);
	else if (!err && moved)
		err = state_save_composition(s->target, c, diag);
	composition_free(c);
	return err;
}

int cmd_update(struct sculpt *s, int argc, char **argv)
{
	int no_apply = 0, no_wait = 0;
	const char *timeout = NULL;
	struct deploy_options options;
	const struct option_row rows[] = {
		DEPLOY_ROWS(&no_wait, &timeout),
		OPTION_FLAG_ROW("no-apply", 0,
		                "update the composition, do not "
		                "apply",
		                &no_apply),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis =
			"sculpt update [--no-apply] [--no-wait] [--timeout S] [NAME]",
		.about = about,
		.options = rows,
		.example = "  sculpt update\n  sculpt update hello\n",
		.operands_min = 0,
		.operands_max = 1,
		.operands_wrong = "give at most one component",
	};
	struct sculpt_diag diag = { "" };
	int first, status = options_parse(&face, argc, argv, &first);

	if (status == OPTIONS_RUN)
		status = deploy_options_read(&face, s, no_wait, timeout,
		                             &options);
	if (status != OPTIONS_RUN)
		return status;
	return update(s, first < argc ? argv[first] : NULL, !no_apply, &options,
	              &diag)
	               ? sculpt_report(&diag)
	               : 0;
}
