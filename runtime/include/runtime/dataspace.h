/*
 * An attached dataspace: a memory object a component shares with another
 * (a session's buffer, a published report, a page a server writes), its
 * capability and where it is mapped, with one call for each step of its
 * life:
 *
 *   dataspace_alloc    a new zero-filled one from a PD session's RAM quota
 *   dataspace_open     one another component handed out (an RPC result)
 *   dataspace_attach   maps all of it, read-only or writable
 *   dataspace_detach   unmaps it (the capability stays)
 *   dataspace_release  detaches, returns allocated RAM to the PD session,
 *                      closes the capability: back to empty
 *
 * A struct dataspace is empty (DATASPACE_EMPTY) or holds one capability,
 * which it owns; `addr` is non-NULL exactly while attached. Release is the
 * one way out of every state, so a failed set-up is undone by it.
 */
#ifndef RUNTIME_DATASPACE_H
#define RUNTIME_DATASPACE_H

#include <stdbool.h>
#include <stddef.h>

#include <kernel/kernel.h>

struct dataspace {
	kcap_t cap;  /* KCAP_INVALID: empty */
	kcap_t pd;   /* the PD session it came from; invalid: opened */
	size_t size; /* bytes, as allocated or as the sender said */
	void *addr;  /* NULL: not attached */
};

#define DATASPACE_EMPTY \
	((struct dataspace){ .cap = KCAP_INVALID, .pd = KCAP_INVALID })

/* Whether `ds` holds a dataspace (attached or not). */
bool dataspace_valid(const struct dataspace *ds);

/* Allocates `size` bytes (>= 1) from the PD session `pd` (pd.rpc) into
 * the empty `ds`; release gives them back. 0, KERR_INVALID, or the PD
 * session's error (pd.rpc); `ds` stays empty on failure. */
int dataspace_alloc(struct dataspace *ds, kcap_t pd, size_t size);

/* Takes `cap`, a dataspace of `size` bytes that another component handed
 * out, into the empty `ds`: from now on `ds` owns it (also on failure,
 * when it is closed). 0 or KERR_INVALID. */
int dataspace_open(struct dataspace *ds, kcap_t cap, size_t size);

/* Maps the whole dataspace at ds->addr, writable or read-only. 0,
 * KERR_INVALID (empty, or attached already) or the kernel's error. */
int dataspace_attach(struct dataspace *ds, bool writable);

/* Unmaps it if attached. */
void dataspace_detach(struct dataspace *ds);

/* Detaches, frees what dataspace_alloc took and closes the capability;
 * `ds` is empty after. Does nothing to an empty one. */
void dataspace_release(struct dataspace *ds);

#endif /* RUNTIME_DATASPACE_H */
