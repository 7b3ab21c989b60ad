/*
 * The arithmetic of a quota downgrade (yield_plan.h): owed quota, what a
 * PD has free of it, the deadline. Pure.
 */
#include "yield_plan.h"

#include <runtime/invariant.h>

/* For INVARIANT: the part of the header's invariant a plan can see. */
static bool plan_ok(const struct yield_plan *p)
{
	return p->left_ms <= p->deadline_ms &&
	       (p->left_ms == 0 || yield_plan_owes(p));
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t free_of(uint64_t quota, uint64_t used)
{
	return quota > used ? quota - used : 0;
}

struct yield_amount yield_plan_change(struct yield_plan *p,
                                      struct yield_amount lower,
                                      struct yield_amount raise)
{
	INVARIANT(plan_ok(p));
	uint64_t ram = min_u64(raise.ram, p->owed.ram);
	uint64_t caps = min_u64(raise.caps, p->owed.caps);

	p->owed.ram += lower.ram - ram;
	p->owed.caps += lower.caps - caps;
	if (!yield_plan_owes(p))
		p->left_ms = 0;
	INVARIANT(plan_ok(p));
	return (struct yield_amount){ raise.ram - ram, raise.caps - caps };
}

struct yield_amount yield_plan_take(const struct yield_plan *p,
                                    uint64_t ram_quota, uint64_t ram_used,
                                    uint64_t caps_quota, uint64_t caps_used)
{
	INVARIANT(plan_ok(p));
	return (struct yield_amount){
		min_u64(p->owed.ram, free_of(ram_quota, ram_used)),
		min_u64(p->owed.caps, free_of(caps_quota, caps_used)),
	};
}

bool yield_plan_taken(struct yield_plan *p, struct yield_amount taken)
{
	INVARIANT(plan_ok(p));
	p->owed.ram -= min_u64(taken.ram, p->owed.ram);
	p->owed.caps -= min_u64(taken.caps, p->owed.caps);
	if (yield_plan_owes(p))
		return false;
	p->left_ms = 0;
	INVARIANT(plan_ok(p));
	return true;
}

bool yield_plan_tick(struct yield_plan *p, uint32_t tick_ms)
{
	INVARIANT(plan_ok(p));
	if (!p->left_ms)
		return false;
	p->left_ms = p->left_ms > tick_ms ? p->left_ms - tick_ms : 0;
	return p->left_ms == 0;
}

bool yield_plan_owes(const struct yield_plan *p)
{
	return p->owed.ram || p->owed.caps;
}
