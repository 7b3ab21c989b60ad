/*
 * A lowered quota taken back from a running child (downgrade.h): the
 * child's free quota at once, the rest after a yield request, or by a
 * restart at the deadline.
 */
#include "downgrade.h"

#include "init.h"

#include "parent_rpc.h"

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* The running config's yield deadline. */
static uint32_t deadline_ms(const struct init *init)
{
	return init->config->yield_deadline_ms ? init->config->yield_deadline_ms
	                                       : RUNTIME_YIELD_DEADLINE_DEFAULT;
}

/* The entry's quota is the child's PD quota again (a new PD); the child
 * stays the same entry. */
static void restart(struct init *init, struct init_child *ic, const char *why,
                    int status)
{
	const struct runtime_child *entry = ic->entry;

	if (status)
		env_log(init->env, "restarting child \"%s\": %s: %s",
		        entry->name, why, runtime_strerror(status));
	else
		env_log(init->env,
		        "restarting child \"%s\": it did not give back ram "
		        "%llu and caps %llu within %u ms of the yield request (quota "
		        "lowered to ram %llu, caps %llu)",
		        entry->name, ull(ic->downgrade.owed.ram),
		        ull(ic->downgrade.owed.caps),
		        (unsigned)ic->downgrade.deadline_ms, ull(entry->ram),
		        ull(entry->caps));
	init_child_stop(ic);
	init_child_state_restarting(&ic->state);
	init_child_start(init, ic);
	init_report_changed(&init->report);
}

/* Takes back what the child's PD has free of what it owes; 0, or the
 * error that says it cannot be done live (nothing taken). */
static int try_take(struct init *init, struct init_child *ic,
                    struct yield_amount *taken)
{
	struct child_quota q;
	int status = child_quota(ic->child, &q);

	*taken = (struct yield_amount){ 0, 0 };
	if (!status) {
		*taken = yield_plan_take(&ic->downgrade, q.ram_quota,
		                         q.ram_used, q.caps_quota, q.caps_used);
		status = child_downgrade(ic->child, taken->ram, taken->caps);
	}
	if (status == PARENT_ERR_OUT_OF_RAM ||
	    status == PARENT_ERR_OUT_OF_CAPS) {
		*taken = (struct yield_amount){ 0,
			                        0 }; /* used meanwhile: later */
		return 0;
	}
	if (status) {
		*taken = (struct yield_amount){ 0, 0 };
		return status;
	}
	if (yield_plan_taken(&ic->downgrade, *taken))
		child_yield(ic->child, 0, 0); /* nothing more wanted */
	if (taken->ram || taken->caps)
		init_report_changed(&init->report);
	return 0;
}

/* try_take, and a restart when it cannot be done live; false then.
 * Never from within a call of the child itself (its parent object would
 * go while it serves that call): the config's signal and the ticks. */
static bool take_free(struct init *init, struct init_child *ic,
                      struct yield_amount *taken)
{
	int status = try_take(init, ic, taken);

	if (status)
		restart(init, ic, "its quota cannot be taken back live",
		        status);
	return status == 0;
}

/* Asks the child for what it still owes and starts the deadline. */
static void ask(struct init *init, struct init_child *ic)
{
	struct yield_plan *p = &ic->downgrade;

	if (!child_yield(ic->child, p->owed.ram, p->owed.caps)) {
		restart(init, ic, "it takes no yield requests",
		        PARENT_ERR_DENIED);
		return;
	}
	p->deadline_ms = p->left_ms = deadline_ms(init);
	init_report_changed(&init->report);
	env_log(init->env,
	        "child \"%s\": asks it to yield ram %llu and caps %llu "
	        "(deadline %u ms)",
	        ic->entry->name, ull(p->owed.ram), ull(p->owed.caps),
	        (unsigned)p->deadline_ms);
	init_ticker_want(&init->ticker);
}

struct yield_amount init_downgrade_change(struct init *init,
                                          struct init_child *ic,
                                          struct yield_amount lower,
                                          struct yield_amount raise)
{
	struct yield_amount rest = yield_plan_change(&ic->downgrade, lower,
	                                             raise);
	struct yield_amount taken;

	if (!lower.ram && !lower.caps)
		return rest;
	if (!take_free(init, ic, &taken))
		return (struct yield_amount){ 0, 0 }; /* restarted: new quota */
	env_log(init->env,
	        "child \"%s\": quota lowered by ram %llu, caps %llu "
	        "(now ram %llu, caps %llu): took back ram %llu and caps %llu it "
	        "had free",
	        ic->entry->name, ull(lower.ram), ull(lower.caps),
	        ull(ic->entry->ram), ull(ic->entry->caps), ull(taken.ram),
	        ull(taken.caps));
	if (yield_plan_owes(&ic->downgrade))
		ask(init, ic);
	return rest;
}

static void log_yielded(struct init *init, const struct init_child *ic)
{
	env_log(init->env,
	        "child \"%s\": yielded; its quota is ram %llu, caps "
	        "%llu",
	        ic->entry->name, ull(ic->entry->ram), ull(ic->entry->caps));
}

/* What is free by now is taken; logs when all is back. On a tick. */
static void settle(struct init *init, struct init_child *ic)
{
	struct yield_amount taken;

	if (take_free(init, ic, &taken) && !yield_plan_owes(&ic->downgrade))
		log_yielded(init, ic);
}

/* Runs within the child's yield_response call: takes what is free, and
 * leaves an error (which restarts the child) to the next tick. */
void init_downgrade_yielded(struct init_child *ic)
{
	struct yield_amount taken;

	if (!ic->child || !yield_plan_owes(&ic->downgrade))
		return;
	if (try_take(ic->init, ic, &taken) == 0 &&
	    !yield_plan_owes(&ic->downgrade))
		log_yielded(ic->init, ic);
}

bool init_downgrade_tick(struct init *init)
{
	bool more = false;
	size_t count = init->config ? init->config->start_count : 0;

	for (size_t i = 0; i < count; i++) {
		struct init_child *ic = init->children[i];
		if (!ic || !ic->child || !yield_plan_owes(&ic->downgrade))
			continue;
		settle(init, ic);
		if (!ic->child || !yield_plan_owes(&ic->downgrade))
			continue;
		if (yield_plan_tick(&ic->downgrade, INIT_TICK_MS))
			restart(init, ic, NULL, 0);
		else
			more = true;
	}
	return more;
}
