/*
 * Capabilities as a component holds them: libruntime's API hands out and
 * takes kcap_t values (session capabilities, dataspaces, signal contexts);
 * a component checks, copies and closes them here, never with the kernel
 * interface itself, so that it moves to another platform by relinking.
 * A capability a call hands out is the caller's to close once; closing
 * KCAP_INVALID does nothing.
 */
#ifndef RUNTIME_CAP_H
#define RUNTIME_CAP_H

#include <stdbool.h>
#include <stddef.h>

#include <kernel/kernel.h>

/* Whether `cap` names anything (it may still be revoked). */
bool cap_valid(kcap_t cap);

/* A second capability for the same object, the caller's to close. 0 or
 * the kernel's error (KERR_INVALID for an invalid `cap`). */
int cap_copy(kcap_t cap, kcap_t *copy);

/* Gives up the caller's hold on `cap`, which must not be used again. */
void cap_close(kcap_t cap);

/* Which kind of object a capability names (an RPC object, memory, a
 * signal source, a stream; KCAP_TYPE_NONE for none): what a proxy that
 * forwards capabilities it did not make needs to know (pkg/remote/rpc). */
enum kcap_type cap_type(kcap_t cap);

/* The size in bytes of the memory object (a dataspace) `cap` names. */
int cap_memory_size(kcap_t cap, size_t *size);

#endif /* RUNTIME_CAP_H */
