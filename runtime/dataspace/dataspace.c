/*
 * The attached dataspace of libruntime (runtime/dataspace.h): a PD
 * session's allocation or a received capability, mapped through the
 * kernel interface's memory objects.
 */
#include <runtime/dataspace.h>

#include "pd_rpc.h"

bool dataspace_valid(const struct dataspace *ds)
{
	return kcap_valid(ds->cap);
}

int dataspace_alloc(struct dataspace *ds, kcap_t pd, size_t size)
{
	kcap_t cap;

	*ds = DATASPACE_EMPTY;
	if (!kcap_valid(pd) || size == 0)
		return KERR_INVALID;
	int err = pd_alloc(pd, size, &cap);
	if (err)
		return err;
	*ds = (struct dataspace){ .cap = cap, .pd = pd, .size = size };
	return 0;
}

int dataspace_open(struct dataspace *ds, kcap_t cap, size_t size)
{
	*ds = DATASPACE_EMPTY;
	if (!kcap_valid(cap) || size == 0) {
		kcap_close(cap);
		return KERR_INVALID;
	}
	ds->cap = cap;
	ds->size = size;
	return 0;
}

int dataspace_attach(struct dataspace *ds, bool writable)
{
	void *addr;

	if (!dataspace_valid(ds) || ds->addr)
		return KERR_INVALID;
	int err = kmem_map(ds->cap, 0, ds->size,
	                   KMEM_READ | (writable ? KMEM_WRITE : 0u), NULL,
	                   &addr);
	if (err)
		return err;
	ds->addr = addr;
	return 0;
}

void dataspace_detach(struct dataspace *ds)
{
	if (!ds->addr)
		return;
	kmem_unmap(ds->addr, ds->size);
	ds->addr = NULL;
}

void dataspace_release(struct dataspace *ds)
{
	if (!dataspace_valid(ds))
		return;
	dataspace_detach(ds);
	if (kcap_valid(ds->pd))
		pd_free(ds->pd, ds->cap);
	kcap_close(ds->cap);
	*ds = DATASPACE_EMPTY;
}
