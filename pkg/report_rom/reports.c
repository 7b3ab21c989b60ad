/*
 * report_rom's store of reports (reports.h).
 */
#include "reports.h"

#include <stdlib.h>
#include <string.h>

#include <runtime/container_of.h>
#include <runtime/str.h>

void reports_init(struct reports *r, kcap_t pd)
{
	r->pd = pd;
	list_init(&r->entries);
}

struct report_entry *reports_get(struct reports *r, const char *label)
{
	struct report_entry *e;

	for (struct list_elem *l = list_first(&r->entries); l;
	     l = list_next(l)) {
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
	e->content = DATASPACE_EMPTY;
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
	dataspace_release(&e->content);
	free(e);
}

int reports_publish(struct reports *r, struct report_entry *e, const void *data,
                    uint64_t length)
{
	struct dataspace ds;
	int err = dataspace_alloc(&ds, r->pd, length ? (size_t)length : 1);

	if (!err)
		err = dataspace_attach(&ds, true);
	if (err) {
		dataspace_release(&ds);
		return err;
	}
	memcpy(ds.addr, data, (size_t)length);
	dataspace_detach(&ds);
	dataspace_release(&e->content);
	e->content = ds;
	e->size = length;
	e->version++;
	for (struct list_elem *l = list_first(&e->watchers); l;
	     l = list_next(l))
		signal_transmitter_submit(
			&container_of(l, struct report_watcher, elem)->sigh, 1);
	return 0;
}
