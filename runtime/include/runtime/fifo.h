/*
 * FIFO: an intrusive first-in-first-out queue (Genode's Fifo), used for
 * wait queues where a List, which inserts at its head, would be unfair.
 * The element (struct fifo_elem) is embedded in the queued object;
 * container_of() leads back to it. Enqueue and dequeue are O(1); removing
 * an element from the middle (a waiter that gave up) is O(n).
 *
 * Not thread-safe: callers that share a queue hold a lock around it.
 */
#ifndef RUNTIME_FIFO_H
#define RUNTIME_FIFO_H

#include <stdbool.h>
#include <runtime/container_of.h>

struct fifo_elem {
	struct fifo_elem *next;
};

struct fifo {
	struct fifo_elem *head;
	struct fifo_elem *tail;
};

void fifo_init(struct fifo *fifo);
bool fifo_empty(const struct fifo *fifo);

/* Appends `elem` at the tail. Precondition: `elem` is in no queue. */
void fifo_enqueue(struct fifo *fifo, struct fifo_elem *elem);

/* Takes the element at the head, or returns NULL when the queue is empty. */
struct fifo_elem *fifo_dequeue(struct fifo *fifo);

/* The element at the head without taking it (NULL when empty). */
struct fifo_elem *fifo_head(const struct fifo *fifo);
struct fifo_elem *fifo_next(const struct fifo_elem *elem);

/* Removes `elem` wherever it is. Returns false when it is not queued. */
bool fifo_remove(struct fifo *fifo, struct fifo_elem *elem);

#endif /* RUNTIME_FIFO_H */
