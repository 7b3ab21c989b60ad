/*
 * `sculpt status`: what runs on the target, as a table from init's state
 * report TARGET/report/init.state (format/state_report.h, parsed by
 * libformat), with the generation sculpt applied last.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "format/state_report.h"
#include "lib/state.h"
#include "options.h"
#include "sculpt.h"

static const char about[] =
	"Prints a table of init's children from the target's state report\n"
	"(TARGET/report/init.state, which init rewrites when something\n"
	"changes): name, state, id, restarts, ram and caps used of the quota,\n"
	"the pkg or binary, and why a child failed or is incomplete. With\n"
	"--sessions, also each child's requested sessions and where they are\n"
	"bound.\n";

static void print_sessions(const struct state_report_child *c)
{
	for (size_t i = 0; i < c->requested_count; i++) {
		const struct state_report_requested *r = &c->requested[i];

		printf("    %-8s \"%s\" -> %s (%s)\n", r->service, r->label,
		       r->server ? r->server
		                 : state_report_bound_name(r->bound),
		       state_report_session_state_name(r->state));
	}
}

static void print_table(const struct state_report *r, int sessions)
{
	printf("config %s; init ram %llu of %llu used, caps %llu of %llu\n",
	       r->config_version ? r->config_version : "(no version)",
	       (unsigned long long)r->ram.used,
	       (unsigned long long)r->ram.quota,
	       (unsigned long long)r->caps.used,
	       (unsigned long long)r->caps.quota);
	printf("%-16s %-10s %4s %8s %21s %13s  %s\n", "NAME", "STATE", "ID",
	       "RESTARTS", "RAM USED/QUOTA", "CAPS", "PKG/BINARY");
	for (size_t i = 0; i < r->child_count; i++) {
		const struct state_report_child *c = &r->children[i];

		printf("%-16s %-10s %4llu %8llu %10llu/%-10llu %6llu/%-6llu  %s\n",
		       c->name, state_report_child_state_name(c->state),
		       (unsigned long long)c->id,
		       (unsigned long long)c->restarts,
		       (unsigned long long)c->ram.used,
		       (unsigned long long)c->ram.quota,
		       (unsigned long long)c->caps.used,
		       (unsigned long long)c->caps.quota,
		       c->pkg ? c->pkg : c->binary);
		if (c->reason)
			printf("    why: %s\n", c->reason);
		if (c->has_exit_code)
			printf("    exit code %d\n", (int)c->exit_code);
		if (sessions)
			print_sessions(c);
	}
}

/* Warns when the core `sculpt boot` started has ended: the report is
 * then what the target ran last, not what runs. */
static void check_core(const struct sculpt *s)
{
	char path[PATH_MAX], *text = NULL;
	long pid;

	if (state_path(s->target, "sculpt/core.pid", path, NULL) ||
	    state_read(path, 32, &text, NULL, NULL, NULL))
		return;
	pid = strtol(text, NULL, 10);
	free(text);
	if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		printf("core (process %ld, started by sculpt boot) has ended: this "
		       "is what the target ran last\n",
		       pid);
}

static int status(struct sculpt *s, int sessions, struct sculpt_diag *diag)
{
	struct runtime_config_error error;
	struct state_report *report;
	char path[PATH_MAX], *text = NULL;
	size_t length = 0;
	bool missing = false;
	unsigned generation = 0;
	int err = state_path(s->target, "report/init.state", path, diag);

	if (!err)
		err = state_read(path, STATE_REPORT_INPUT_MAX, &text, &length,
		                 &missing, diag);
	if (err && missing)
		return sculpt_fail(
			diag, SCULPT_E_IO,
			"no state report '%s': is "
			"target '%s' running, with \"report\" in its "
			"config?",
			path, s->target);
	if (err)
		return err;
	err = state_report_parse(text, length, &report, &error);
	free(text);
	if (err)
		return sculpt_fail(diag, SCULPT_E_IO, "'%s': %s", path,
		                   error.message);
	check_core(s);
	if (state_current(s->target, &generation, diag) == 0 && generation)
		printf("sculpt applied generation %u last\n", generation);
	print_table(report, sessions);
	state_report_free(report);
	return 0;
}

int cmd_status(struct sculpt *s, int argc, char **argv)
{
	int sessions = 0;
	const struct option_row rows[] = {
		OPTION_FLAG_ROW("sessions", 's',
		                "also the sessions of each child", &sessions),
		OPTION_END,
	};
	const struct command_face face = {
		.synopsis = "sculpt status [--sessions]",
		.about = about,
		.options = rows,
		.example = "  sculpt status\n  sculpt status --sessions\n",
		.operands_min = 0,
		.operands_max = 0,
		.operands_wrong = "status takes no operands",
	};
	struct sculpt_diag diag = { "" };
	int first, st = options_parse(&face, argc, argv, &first);

	if (st != OPTIONS_RUN)
		return st;
	return status(s, sessions, &diag) ? sculpt_report(&diag) : 0;
}
