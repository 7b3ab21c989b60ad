/*
 * The intrusive FIFO queue of runtime/fifo.h. Invariant: head is NULL
 * exactly when tail is NULL, and tail->next is always NULL (kept(),
 * asserted after every change).
 */
#include <runtime/fifo.h>
#include <runtime/invariant.h>

#include <stddef.h>

static bool kept(const struct fifo *fifo)
{
	return (fifo->head == NULL) == (fifo->tail == NULL) &&
	       (!fifo->tail || !fifo->tail->next);
}

void fifo_init(struct fifo *fifo)
{
	fifo->head = NULL;
	fifo->tail = NULL;
}

bool fifo_empty(const struct fifo *fifo)
{
	return fifo->head == NULL;
}

void fifo_enqueue(struct fifo *fifo, struct fifo_elem *elem)
{
	elem->next = NULL;
	if (fifo->tail)
		fifo->tail->next = elem;
	else
		fifo->head = elem;
	fifo->tail = elem;
	INVARIANT(kept(fifo));
}

struct fifo_elem *fifo_dequeue(struct fifo *fifo)
{
	struct fifo_elem *elem = fifo->head;
	if (!elem)
		return NULL;
	fifo->head = elem->next;
	if (!fifo->head)
		fifo->tail = NULL;
	elem->next = NULL;
	INVARIANT(kept(fifo));
	return elem;
}

struct fifo_elem *fifo_head(const struct fifo *fifo)
{
	return fifo->head;
}

struct fifo_elem *fifo_next(const struct fifo_elem *elem)
{
	return elem->next;
}

bool fifo_remove(struct fifo *fifo, struct fifo_elem *elem)
{
	struct fifo_elem *prev = NULL;
	for (struct fifo_elem *e = fifo->head; e; prev = e, e = e->next) {
		if (e != elem)
			continue;
		if (prev)
			prev->next = e->next;
		else
			fifo->head = e->next;
		if (fifo->tail == e)
			fifo->tail = prev;
		e->next = NULL;
		INVARIANT(kept(fifo));
		return true;
	}
	return false;
}
