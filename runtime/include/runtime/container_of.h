/*
 * container_of: from a pointer to a member embedded in a structure back to
 * the structure. The intrusive containers of libruntime (list, fifo, avl)
 * link nodes that live inside the objects they organise, and their users
 * get the object back with this macro.
 */
#ifndef RUNTIME_CONTAINER_OF_H
#define RUNTIME_CONTAINER_OF_H

#include <stddef.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif /* RUNTIME_CONTAINER_OF_H */
