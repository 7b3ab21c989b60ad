/*
 * Capability spaces: one per protection domain, an array of CSPACE_SLOTS
 * slots. A selector (kcap_t.sel in kernel/kernel.h) is an index into the
 * caller's own array and nothing else, so a capability cannot be forged:
 * a domain names only what the kernel put in its slots, and a number that
 * means something in another domain means nothing here.
 *
 * Invariants: a slot is empty (type KCAP_TYPE_NONE, obj 0) or names a live
 * kernel object that counts it in its references; a capability enters a
 * slot only by cap_insert() (creation, boot caps, IPC transfer) and leaves
 * it by cap_clear() or when the domain ends.
 */
#ifndef RISCV_CAP_H
#define RISCV_CAP_H

#include "kernel/kernel.h"

/* Core holds a slot for every session object and RAM dataspace it serves
 * (its Report service a session and a dataspace more per Report session),
 * which a pool's capability quota pays for: init's quota is what core has
 * free of these (core/riscv/main.c). */
#define CSPACE_SLOTS 1024u

struct cap {
	enum kcap_type type;
	void *obj;
};

struct cspace {
	struct cap slot[CSPACE_SLOTS];
};

/* The capability selector `sel` names, or 0 for an empty or bad selector. */
const struct cap *cap_lookup(const struct cspace *cs, int64_t sel);

/* Whether a slot is free: the decode step of anything that inserts. */
int cap_has_free_slot(const struct cspace *cs);

/* How many slots are free (SYS_KERNEL_FREE). */
unsigned cap_free_slots(const struct cspace *cs);

/* Puts a new reference to `cap` into the lowest free slot and returns its
 * selector. The caller has checked cap_has_free_slot(). */
int cap_insert(struct cspace *cs, struct cap cap);

/* Takes (delta 1) or drops (-1) a reference to the object `cap` names,
 * as a slot or a capability in flight (ipc.c) holds one. */
void cap_ref(struct cap cap, int delta);

/* Empties a slot, dropping its reference. */
void cap_clear(struct cspace *cs, unsigned sel);

/* Empties every slot (the domain ends). */
void cap_clear_all(struct cspace *cs);

#endif /* RISCV_CAP_H */
