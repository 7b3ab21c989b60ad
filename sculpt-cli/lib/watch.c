/*
 * The judgement of a state report against an applied generation
 * (watch.h).
 */
#include "watch.h"

#include <stdio.h>
#include <string.h>

static const struct state_report_child *reported(const struct state_report *r,
                                                 const char *name)
{
	for (size_t i = 0; i < r->child_count; i++)
		if (strcmp(r->children[i].name, name) == 0)
			return &r->children[i];
	return NULL;
}

/* The verdict on one child. */
static enum watch_verdict judge_child(const struct state_report_child *c,
                                      char *why, size_t size)
{
	switch (c->state) {
	case STATE_REPORT_FAILED:
		snprintf(why, size, "child \"%s\" failed: %s", c->name,
		         c->reason);
		return WATCH_FAILED;
	case STATE_REPORT_INCOMPLETE:
		snprintf(why, size, "child \"%s\" is incomplete: %s", c->name,
		         c->reason);
		return WATCH_FAILED;
	case STATE_REPORT_RESTARTING:
		snprintf(why, size, "child \"%s\" crashed and is restarting",
		         c->name);
		return WATCH_FAILED;
	case STATE_REPORT_EXITED:
		if (c->exit_code == 0)
			return WATCH_DONE;
		snprintf(why, size, "child \"%s\" exited with %d", c->name,
		         (int)c->exit_code);
		return WATCH_FAILED;
	case STATE_REPORT_STARTING:
		snprintf(why, size, "child \"%s\" is still starting", c->name);
		return WATCH_WAIT;
	case STATE_REPORT_RUNNING:
		break;
	}
	for (size_t i = 0; i < c->requested_count; i++)
		if (c->requested[i].state == STATE_REPORT_PENDING) {
			snprintf(why, size,
			         "child \"%s\" waits for its %s session "
			         "\"%s\"",
			         c->name, c->requested[i].service,
			         c->requested[i].label);
			return WATCH_WAIT;
		}
	return WATCH_DONE;
}

enum watch_verdict watch_judge(const struct state_report *report,
                               const char *version,
                               const struct runtime_config *config, char *why,
                               size_t size)
{
	enum watch_verdict verdict = WATCH_DONE;

	if (!report->config_version ||
	    strcmp(report->config_version, version) != 0) {
		snprintf(why, size,
		         "init has not applied \"%s\" (it reports \"%s\")",
		         version,
		         report->config_version ? report->config_version : "");
		return WATCH_WAIT;
	}
	/* a failure decides at once; else the first thing awaited is said */
	for (size_t i = 0; i < config->start_count; i++) {
		const struct state_report_child *c =
			reported(report, config->start[i].name);
		char note[512];
		enum watch_verdict one = WATCH_WAIT;

		if (c)
			one = judge_child(c, note, sizeof(note));
		else
			snprintf(note, sizeof(note),
			         "child \"%s\" is not in the "
			         "report yet",
			         config->start[i].name);
		if (one == WATCH_FAILED ||
		    (one == WATCH_WAIT && verdict == WATCH_DONE))
			snprintf(why, size, "%s", note);
		if (one == WATCH_FAILED)
			return WATCH_FAILED;
		if (one == WATCH_WAIT)
			verdict = WATCH_WAIT;
	}
	if (verdict == WATCH_DONE)
		snprintf(why, size, "every child runs");
	return verdict;
}
