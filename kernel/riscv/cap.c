/*
 * Capability spaces (cap.h). References are counted on the object
 * (endpoints, ipc.c, signals, signal.c, memory objects, mem.c, and stream
 * ends, stream.c): inserting takes one, clearing drops one, and an
 * object is reused only when no slot names it.
 */
#include "cap.h"
#include "ipc.h"
#include "mem.h"
#include "panic.h"
#include "signal.h"
#include "stream.h"

void cap_ref(struct cap cap, int delta)
{
	switch (cap.type) {
	case KCAP_TYPE_ENDPOINT:
		endpoint_ref(cap.obj, delta);
		break;
	case KCAP_TYPE_SIGNAL:
		signal_ref(cap.obj, delta);
		break;
	case KCAP_TYPE_MEMORY:
		mem_ref(cap.obj, delta);
		break;
	case KCAP_TYPE_STREAM:
		stream_ref(cap.obj, delta);
		break;
	default:
		PANIC("a slot names an object of unknown type");
	}
}

const struct cap *cap_lookup(const struct cspace *cs, int64_t sel)
{
	if (sel < 0 || sel >= (int64_t)CSPACE_SLOTS)
		return 0;
	const struct cap *c = &cs->slot[sel];
	return c->type == KCAP_TYPE_NONE ? 0 : c;
}

int cap_has_free_slot(const struct cspace *cs)
{
	for (unsigned i = 0; i < CSPACE_SLOTS; i++)
		if (cs->slot[i].type == KCAP_TYPE_NONE)
			return 1;
	return 0;
}

unsigned cap_free_slots(const struct cspace *cs)
{
	unsigned n = 0;
	for (unsigned i = 0; i < CSPACE_SLOTS; i++)
		n += cs->slot[i].type == KCAP_TYPE_NONE;
	return n;
}

int cap_insert(struct cspace *cs, struct cap cap)
{
	KASSERT(cap.type != KCAP_TYPE_NONE && cap.obj);
	for (unsigned i = 0; i < CSPACE_SLOTS; i++) {
		if (cs->slot[i].type == KCAP_TYPE_NONE) {
			cap_ref(cap, 1);
			cs->slot[i] = cap;
			return (int)i;
		}
	}
	PANIC("cap_insert without a free slot");
}

void cap_clear(struct cspace *cs, unsigned sel)
{
	KASSERT(sel < CSPACE_SLOTS);
	struct cap cap = cs->slot[sel];
	if (cap.type == KCAP_TYPE_NONE)
		return;
	cs->slot[sel] = (struct cap){ KCAP_TYPE_NONE, 0 };
	cap_ref(cap, -1);
}

void cap_clear_all(struct cspace *cs)
{
	for (unsigned i = 0; i < CSPACE_SLOTS; i++)
		cap_clear(cs, i);
}
