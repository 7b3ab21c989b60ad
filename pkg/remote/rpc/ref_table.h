/*
 * The references of one link (pure): which of this node's objects the
 * peer may name. An exported object gets a slot and a 64-bit nonce drawn
 * from a cryptographic generator by the caller; the peer names it by
 * both (proxy_wire.h, "ref"). A reference means something only on the
 * authenticated link it was given on, so a peer can name nothing it was
 * not given: an unknown slot, a freed one, or a slot with the wrong nonce
 * (a stale reference to a reused slot, or a guess) is refused. The whole
 * table is emptied when the link goes (the proxy frees every export).
 *
 * Invariant: a slot is free exactly when its nonce is 0; `used` counts the
 * others.
 */
#ifndef REMOTE_REF_TABLE_H
#define REMOTE_REF_TABLE_H

#include <stdint.h>

#include "proxy_wire.h"

#define REF_SLOTS 256u

struct ref_table {
	uint64_t nonce[REF_SLOTS];
	uint32_t used;
};

/* Takes a free slot for an object, named by `nonce` (non-zero) from now
 * on; returns the slot, or -1 when the table is full or nonce is 0. */
int ref_alloc(struct ref_table *t, uint64_t nonce, struct proxy_ref *ref);

/* The slot `ref` names, or -1 when it names nothing (see above). */
int ref_find(const struct ref_table *t, struct proxy_ref ref);

/* Frees the slot; its reference is refused from now on. */
void ref_free(struct ref_table *t, uint32_t slot);

#endif /* REMOTE_REF_TABLE_H */
