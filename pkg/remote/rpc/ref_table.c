/*
 * The reference table of a link (ref_table.h): slots with nonces, checked
 * by equality of both before anything is looked up.
 */
#include <assert.h>

#include "ref_table.h"

int ref_alloc(struct ref_table *t, uint64_t nonce, struct proxy_ref *ref)
{
	if (nonce == 0)
		return -1;
	for (uint32_t i = 0; i < REF_SLOTS; i++) {
		if (t->nonce[i])
			continue;
		t->nonce[i] = nonce;
		t->used++;
		assert(t->used <= REF_SLOTS);
		ref->slot = i;
		ref->nonce = nonce;
		return (int)i;
	}
	return -1;
}

int ref_find(const struct ref_table *t, struct proxy_ref ref)
{
	if (ref.slot >= REF_SLOTS || ref.nonce == 0 ||
	    t->nonce[ref.slot] != ref.nonce)
		return -1;
	return (int)ref.slot;
}

void ref_free(struct ref_table *t, uint32_t slot)
{
	if (slot >= REF_SLOTS || !t->nonce[slot])
		return;
	t->nonce[slot] = 0;
	assert(t->used > 0);
	t->used--;
}
