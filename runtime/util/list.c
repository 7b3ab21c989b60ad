/*
 * The intrusive singly linked list of runtime/list.h: head insertion,
 * insertion after an element, and removal by a walk from the head.
 * Invariant: an element is in a list at most once, and an element to
 * insert after is in the list (list_insert's precondition; asserted there
 * by a walk in the sanitizer build).
 */
#include <runtime/invariant.h>
#include <runtime/list.h>

#include <stddef.h>

void list_init(struct list *list)
{
	list->first = NULL;
}

static bool holds(const struct list *list, const struct list_elem *elem)
{
	for (const struct list_elem *e = list->first; e; e = e->next)
		if (e == elem)
			return true;
	return false;
}

void list_insert(struct list *list, struct list_elem *elem,
                 struct list_elem *after)
{
	INVARIANT(!holds(list, elem) && (!after || holds(list, after)));
	if (after) {
		elem->next = after->next;
		after->next = elem;
	} else {
		elem->next = list->first;
		list->first = elem;
	}
}

bool list_remove(struct list *list, struct list_elem *elem)
{
	for (struct list_elem **link = &list->first; *link;
	     link = &(*link)->next) {
		if (*link == elem) {
			*link = elem->next;
			elem->next = NULL;
			return true;
		}
	}
	return false;
}

struct list_elem *list_first(const struct list *list)
{
	return list->first;
}

struct list_elem *list_next(const struct list_elem *elem)
{
	return elem->next;
}

bool list_empty(const struct list *list)
{
	return list->first == NULL;
}
