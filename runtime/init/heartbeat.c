/*
 * Init's heartbeat rounds (heartbeat.h): the rate counted down in ticks,
 * each running child asked, its skips counted, logged and acted on.
 */
#include "heartbeat.h"

#include "init.h"

/* Whether `n` is a power of two: the skips that are logged. */
static bool logged_skip(uint32_t n)
{
	return (n & (n - 1)) == 0;
}

static void restart_stuck(struct init *init, struct init_child *ic)
{
	env_log(init->env,
	        "restarting child \"%s\": it skipped %u heartbeats in "
	        "a row (restart_after_skipped %u)",
	        ic->entry->name, (unsigned)ic->heartbeat.skipped,
	        (unsigned)ic->entry->restart_after_skipped);
	init_child_stop(ic);
	init_child_state_restarting(&ic->state);
	init_child_start(init, ic);
}

static void ask(struct init *init, struct init_child *ic)
{
	struct init_child_heartbeat *h = &ic->heartbeat;
	const char *name = ic->entry->name;

	switch (child_heartbeat(ic->child)) {
	case CHILD_HEARTBEAT_UNWATCHED:
		return;
	case CHILD_HEARTBEAT_ANSWERED:
		if (!h->skipped)
			return;
		env_log(init->env,
		        "child \"%s\" answers heartbeats again after %u "
		        "skipped",
		        name, (unsigned)h->skipped);
		h->skipped = 0;
		break;
	case CHILD_HEARTBEAT_SKIPPED:
		h->skipped++;
		if (logged_skip(h->skipped))
			env_log(init->env,
			        "child \"%s\" skipped %u heartbeat%s in a row",
			        name, (unsigned)h->skipped,
			        h->skipped == 1 ? "" : "s");
		if (ic->entry->restart_after_skipped &&
		    h->skipped >= ic->entry->restart_after_skipped)
			restart_stuck(init, ic);
		break;
	}
	init_report_changed(&init->report);
}

bool init_heartbeat_tick(struct init *init)
{
	uint32_t rate = init->config ? init->config->heartbeat_rate_ms : 0;

	if (!rate)
		return false;
	if (init->heartbeat_left_ms > INIT_TICK_MS) {
		init->heartbeat_left_ms -= INIT_TICK_MS;
		return true;
	}
	init->heartbeat_left_ms = rate;
	for (size_t i = 0; i < init->config->start_count; i++) {
		struct init_child *ic = init->children[i];
		if (ic && ic->child && ic->state.state == INIT_CHILD_RUNNING)
			ask(init, ic);
	}
	return true;
}

void init_heartbeat_apply(struct init *init)
{
	if (init->config->heartbeat_rate_ms) {
		if (init->heartbeat_left_ms > init->config->heartbeat_rate_ms)
			init->heartbeat_left_ms =
				init->config->heartbeat_rate_ms;
		init_ticker_want(&init->ticker);
	}
	for (size_t i = 0; i < init->config->start_count; i++)
		if (!init->config->heartbeat_rate_ms && init->children[i])
			init->children[i]->heartbeat.skipped = 0;
}
