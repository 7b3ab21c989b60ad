/*
 * What init does when a child ends on its own (supervise.h): the end
 * recorded and logged, then the restart policy's decision carried out at
 * the ticks of init's ticker.
 */
#include "supervise.h"

#include <stdio.h>

#include <runtime/fault_words.h>

#include "init.h"
#include "restart_policy.h"

/* How the program ended, in the words of the log: a fault by the
 * platform's number for it (linux "signal 11", riscv "exception 13, load
 * page fault"). */
static void describe_end(bool fault, int code, char *out, size_t size)
{
	char number[48];
	if (fault) {
		fault_number(code, number, sizeof(number));
		snprintf(out, size, "died of a fault (%s)", number);
	} else {
		snprintf(out, size, "exited with exit value %d", code);
	}
}

void init_supervise_ended(struct init_child *ic, bool fault, int code)
{
	struct init *init = ic->init;
	struct init_supervision *s = &ic->supervision;
	const char *name = ic->entry->name;
	const char *policy = runtime_restart_word(ic->entry->restart);
	struct restart_decision d = restart_decide(ic->entry->restart, fault,
	                                           code, s->streak);
	char end[96];

	describe_end(fault, code, end, sizeof(end));
	env_log(init->env, "child \"%s\" %s", name, end);
	switch (d.step) {
	case RESTART_STEP_NONE:
		if (fault)
			init_child_state_failed(&ic->state, "%s", end);
		else
			init_child_state_exited(&ic->state, code);
		break;
	case RESTART_STEP_AFTER:
		s->streak++;
		s->waiting = true;
		s->backoff_ms = d.delay_ms;
		s->up_ms = 0;
		init_child_state_restarting(&ic->state);
		env_log(init->env,
		        "child \"%s\": restarting in %u ms (restart %u in a "
		        "row, restart policy %s)",
		        name, (unsigned)d.delay_ms, (unsigned)s->streak,
		        policy);
		init_ticker_want(&init->ticker);
		break;
	case RESTART_STEP_GIVE_UP:
		s->reap = true;
		init_child_state_failed(
			&ic->state,
			"restarted %u times in a row and "
			"ended again (%s): restart policy %s gives up",
			(unsigned)s->streak, end, policy);
		env_log(init->env, "child \"%s\": failed: %s", name,
		        ic->state.reason);
		init_ticker_want(&init->ticker);
		break;
	}
	init_report_changed(&init->report);
}

void init_supervise_reset(struct init_child *ic)
{
	ic->supervision = (struct init_supervision){ 0 };
}

/* One tick for one child; whether it needs more ticks. */
static bool tick_child(struct init *init, struct init_child *ic)
{
	struct init_supervision *s = &ic->supervision;

	if (s->reap || (s->waiting && ic->child)) {
		init_child_stop(ic); /* at once: its quota and sessions back */
		s->reap = false;
		init_report_changed(&init->report);
	}
	if (s->waiting) {
		s->backoff_ms = s->backoff_ms > INIT_TICK_MS
		                        ? s->backoff_ms - INIT_TICK_MS
		                        : 0;
		if (s->backoff_ms)
			return true;
		s->waiting = false;
		init_child_start(init, ic);
		init_report_changed(&init->report);
		return ic->state.state == INIT_CHILD_RUNNING;
	}
	if (s->streak && ic->state.state == INIT_CHILD_RUNNING) {
		s->up_ms += INIT_TICK_MS;
		if (s->up_ms < RESTART_STABLE_MS)
			return true;
		s->streak = 0; /* it ran stably: the next end starts afresh */
	}
	return false;
}

void init_supervise_tick(struct init *init)
{
	bool more = false;
	size_t count = init->config ? init->config->start_count : 0;

	for (size_t i = 0; i < count; i++)
		if (init->children[i] && tick_child(init, init->children[i]))
			more = true;
	if (init_heartbeat_tick(init))
		more = true;
	if (init_downgrade_tick(init))
		more = true;
	if (!more)
		init_ticker_rest(&init->ticker);
}
