/*
 * report_rom's store of reports (reports.h).
 */
#include "reports.h"

#include <stdlib.h>
#include <string.h>

#include <runtime/container_of.h>
#include <runtime/str.h>

#include "pd_rpc.h"

void reports_init(struct reports *r, kcap_t pd)
{
	r->pd = pd;
	list_init(&r->entries);
}

struct report_entry *reports_get(struct reports *r, const char *label)
{
	struct report_entry *e;

	for (struct list_elem *l = list_first(&r->entries); l; l = list_next(l)) {
		e = container_of(l, struct report_entry, elem);
		if (!strcmp(e->label, label)) {
			e->holders++;
			return e;
		}
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	str_copy(e->label, label, sizeof(e->label));
	e->ds = KCAP_INVALID;
	e->holders = 1;
	list_init(&e->watchers);
	list_insert(&r->entries, &e->elem, NULL);
	return e;
}

void reports_put(struct reports *r, struct report_entry *e)
{
	if (--e->holders > 0)
		return;
	list_remove(&r->entries, &e->elem);
	if (kcap_valid(e->ds)) {
		pd_free(r->pd, e->ds);
		kcap_close(e->ds);
	}
	free(e);
}

int reports_publish(struct reports *r, struct report_entry *e,
                    const void *data, uint64_t length)
{
	kcap_t ds;
	void *addr;
	size_t bytes = length ? (size_t)length : 1;
	int err = pd_alloc(r->pd, bytes, &ds);

	if (err)
		return err;
	err = kmem_map(ds, 0, bytes, KMEM_READ | KMEM_WRITE, NULL, &addr);
	if (err) {
		pd_free(r->pd, ds);
		kcap_close(ds);
		return err;
	}
	memcpy(addr, data, (size_t)length);
	kmem_unmap(addr, bytes);
	if (kcap_valid(e->ds)) {
		pd_free(r->pd, e->ds);
		kcap_close(e->ds);
	}
	e->ds = ds;
	e->size = length;
	e->version++;
	for (struct list_elem *l = list_first(&e->watchers); l; l = list_next(l))
		ksignal_submit(container_of(l, struct report_watcher, elem)->sigh, 1);
	return 0;
}
