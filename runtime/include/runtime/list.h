/*
 * List: an intrusive singly linked list (Genode's List). The element
 * (struct list_elem) is embedded in the object that is listed, so inserting
 * never allocates; container_of() leads from an element back to its object.
 * New elements go to the head unless an element to insert after is given.
 * For first-in-first-out order use the FIFO (runtime/fifo.h) instead.
 *
 * Not thread-safe: callers that share a list hold a lock around it.
 */
#ifndef RUNTIME_LIST_H
#define RUNTIME_LIST_H

#include <stdbool.h>
#include <runtime/container_of.h>

struct list_elem {
	struct list_elem *next;
};

struct list {
	struct list_elem *first;
};

void list_init(struct list *list);

/* Inserts `elem` after `after`, or at the head when `after` is NULL.
 * Precondition: `elem` is in no list; `after` (if given) is in `list`. */
void list_insert(struct list *list, struct list_elem *elem,
                 struct list_elem *after);

/* Removes `elem` from `list`. Returns false (and changes nothing) when
 * `elem` is not in the list. */
bool list_remove(struct list *list, struct list_elem *elem);

struct list_elem *list_first(const struct list *list);
struct list_elem *list_next(const struct list_elem *elem);
bool list_empty(const struct list *list);

#endif /* RUNTIME_LIST_H */
