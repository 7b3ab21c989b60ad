/*
 * The transaction of `sculpt apply` and `sculpt update` (sculpt.h): the
 * composition generated, planned, recorded as a generation and written to
 * the target; then, on a running target, init's state report watched
 * until the generation runs, and the generation before restored when it
 * fails. `sculpt rollback` and `sculpt boot` use the restore and the
 * watch.
 *
 * A riscv target (one whose control channel TARGET/sculpt/control
 * records, target_control.h) has no file system that core reads: each
 * config written to TARGET/config/init.config is pushed to it too, as
 * ROM config/init.config, which init applies live as linux init applies
 * the file. Its channel is opened before anything is written, so a
 * target that is not running, or a bad record, changes nothing; a push
 * that fails takes back the generation it recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format/state_report.h"
#include "lib/plan_text.h"
#include "lib/state.h"
#include "lib/watch.h"
#include "options.h"
#include "sculpt.h"
#include "target_archives.h"
#include "target_control.h"
#include "target_net.h"

static int print_plan(const struct sculpt *s, const struct runtime_config *next,
                      struct sculpt_diag *diag)
{
	struct runtime_config *running;
	int changes, err = sculpt_running(s, &running, diag);

	if (err)
		return err;
	changes = plan_print(stdout, running, next);
	runtime_config_free(running);
	if (changes == 0)
		puts("nothing changes");
	return changes < 0 ? sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory")
	                   : 0;
}

/* How often the state report is read, and how long a generation must run
 * without a failure before it counts as running: a child that crashes
 * right after it started is seen, not taken for a success. */
enum { WATCH_TICK_MS = 100, WATCH_SETTLE_MS = 1500 };

/* Reads and parses TARGET/report/init.state; *report NULL when there is
 * none or it cannot be read (init may be replacing it). */
static void read_report(const struct sculpt *s, struct state_report **report)
{
	struct runtime_config_error error;
	char path[PATH_MAX], *text = NULL;
	size_t length = 0;

	*report = NULL;
	if (state_path(s->target, "report/init.state", path, NULL) ||
	    state_read(path, STATE_REPORT_INPUT_MAX, &text, &length, NULL,
	               NULL))
		return;
	if (state_report_parse(text, length, report, &error))
		*report = NULL;
	free(text);
}

/* Whether the target has a state report: a running target's init writes
 * one (when its config has `report`, as generated ones do). */
static int sculpt_has_report(const struct sculpt *s)
{
	char path[PATH_MAX];

	return state_path(s->target, "report/init.state", path, NULL) == 0 &&
	       access(path, F_OK) == 0;
}

int deploy_options_read(const struct command_face *face, struct sculpt *s,
                        int no_wait, const char *timeout,
                        struct deploy_options *out)
{
	char *end;
	unsigned long seconds = timeout ? strtoul(timeout, &end, 10) : 10;

	if (timeout && (!timeout[0] || *end || seconds < 1 || seconds > 3600))
		return options_usage_error(face,
		                           "--timeout takes 1 to 3600 "
		                           "seconds, not '%s'",
		                           timeout);
	out->wait = !no_wait && sculpt_has_report(s);
	out->timeout_s = (unsigned)seconds;
	return OPTIONS_RUN;
}

int sculpt_watch(struct sculpt *s, const char *version,
                 const struct runtime_config *config, unsigned timeout_s,
                 char *why, size_t size)
{
	const struct timespec pause = { 0, WATCH_TICK_MS * 1000000L };
	unsigned good = 0; /* ticks the verdict has been WATCH_DONE in a row */

	snprintf(why, size, "no state report in '%s/report/init.state'",
	         s->target);
	for (unsigned tick = 0; tick <= timeout_s * 1000 / WATCH_TICK_MS;
	     tick++) {
		struct state_report *report;
		enum watch_verdict verdict = WATCH_WAIT;

		if (tick)
			nanosleep(&pause, NULL);
		read_report(s, &report);
		if (report)
			verdict = watch_judge(report, version, config, why,
			                      size);
		state_report_free(report);
		if (verdict == WATCH_FAILED)
			return 1;
		good = verdict == WATCH_DONE ? good + 1 : 0;
		if (good * WATCH_TICK_MS >= WATCH_SETTLE_MS)
			return 0;
	}
	return 1;
}

/* Pushes `config` (parsed: `model`) over the target's channel c, after
 * the archives of its pkg children the machine lacks (nothing on a
 * linux target), then writes it to TARGET/config/init.config. */
static int deliver(struct sculpt *s, struct target_control *c,
                   const char *config, const struct runtime_config *model,
                   struct sculpt_diag *diag)
{
	char path[PATH_MAX];
	int err = target_archives_push_config(s, c, model, diag);

	if (!err)
		err = target_net_deliver(s->target, c, diag);
	if (!err)
		err = target_control_push(c, "config/init.config", config,
		                          strlen(config), diag);

	if (!err)
		err = state_path(s->target, "config/init.config", path, diag);
	if (!err)
		err = state_write(path, config, strlen(config), diag);
	return err;
}

int sculpt_first_config(struct sculpt *s, char version[32],
                        struct sculpt_diag *diag)
{
	struct deploy_options no_wait = { 0, 0 };
	struct sculpt_composition *c = NULL;
	char path[PATH_MAX];
	unsigned current = 0;
	int err = state_path(s->target, "config/init.config", path, diag);

	if (!err && access(path, F_OK) != 0) {
		err = state_load_composition(s->target, &c, diag);
		if (!err)
			err = sculpt_deploy(s, c, &no_wait, diag);
		composition_free(c);
	}
	if (!err)
		err = state_current(s->target, &current, diag);
	snprintf(version, 32, "generation %u", current);
	return err;
}

int sculpt_restore(struct sculpt *s, unsigned generation,
                   struct sculpt_diag *diag)
{
	struct runtime_config *running = NULL, *next = NULL;
	struct runtime_config_error error;
	struct target_control control = { .fd = -1 };
	char *composition = NULL, *config = NULL, path[PATH_MAX];
	int err = state_generation(s->target, generation, &composition, &config,
	                           diag);

	if (!err)
		err = sculpt_running(s, &running, diag);
	if (!err)
		err = target_control_open(s->target, &control, diag);
	if (!err && runtime_config_parse(config, strlen(config), &next, &error))
		err = sculpt_fail(diag, SCULPT_E_CONFIG,
		                  "generation %u is invalid: "
		                  "%s",
		                  generation, error.message);
	if (!err && plan_print(stdout, running, next) < 0)
		err = sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	if (!err)
		err = deliver(s, &control, config, next, diag);
	if (!err)
		err = state_set_current(s->target, generation, diag);
	if (!err)
		err = state_path(s->target, "sculpt/composition.json", path,
		                 diag);
	if (!err)
		err = state_write(path, composition, strlen(composition), diag);
	target_control_close(&control);
	runtime_config_free(running);
	runtime_config_free(next);
	free(composition);
	free(config);
	return err;
}

/* The transaction's end: waits for init's verdict on `generation` and
 * rolls back to the one before when it failed. */
static int settle(struct sculpt *s, unsigned generation, const char *version,
                  const struct runtime_config *config,
                  const struct deploy_options *options,
                  struct sculpt_diag *diag)
{
	char why[512];
	unsigned previous = 0;
	int err;

	if (!sculpt_watch(s, version, config, options->timeout_s, why,
	                  sizeof(why))) {
		printf("generation %u runs: %s\n", generation, why);
		return 0;
	}
	printf("generation %u failed: %s\n", generation, why);
	err = state_previous(s->target, generation, &previous, diag);
	if (!err && previous == 0)
		return sculpt_fail(
			diag, SCULPT_E_GENERATION,
			"generation %u failed "
			"(%s) and there is none before it to roll back "
			"to",
			generation, why);
	if (!err) {
		printf("rolling back to generation %u\n", previous);
		err = sculpt_restore(s, previous, diag);
	}
	if (!err)
		err = sculpt_fail(
			diag, SCULPT_E_GENERATION,
			"generation %u failed "
			"(%s); rolled back to generation %u (what you "
			"composed is kept in generations/%u/composition.json;"
			" init's log: %s/log/init.log)",
			generation, why, previous, generation, s->target);
	return err;
}

int sculpt_deploy(struct sculpt *s, const struct sculpt_composition *c,
                  const struct deploy_options *options,
                  struct sculpt_diag *diag)
{
	struct pkg_source pkgs = sculpt_pkg_source(s);
	struct runtime_config *model = NULL;
	struct target_control control = { .fd = -1 };
	char path[PATH_MAX], version[32], *config = NULL, *composition = NULL;
	unsigned generation = 0;
	int err = state_newest(s->target, &generation, diag);

	generation++;
	snprintf(version, sizeof(version), "generation %u", generation);
	if (!err)
		err = generate_config(c, &pkgs, version, &config, &model, diag);
	if (!err)
		err = target_control_open(s->target, &control, diag);
	if (!err)
		err = print_plan(s, model, diag);
	if (!err && !(composition = composition_to_json(c)))
		err = sculpt_fail(diag, SCULPT_E_NOMEM, "out of memory");
	if (!err)
		err = state_record(s->target, generation, composition, config,
		                   diag);
	if (!err) {
		err = deliver(s, &control, config, model, diag);
		if (err) /* it never ran: its record goes too */
			state_forget(s->target, generation, NULL);
	}
	target_control_close(&control);
	if (!err)
		err = state_path(s->target, "config/init.config", path, diag);
	if (!err)
		err = state_set_current(s->target, generation, diag);
	if (!err)
		err = state_save_composition(s->target, c, diag);
	if (!err)
		printf("applied generation %u to '%s'\n", generation, path);
	if (!err && options->wait)
		err = settle(s, generation, version, model, options, diag);
	runtime_config_free(model);
	free(composition);
	free(config);
	return err;
}
