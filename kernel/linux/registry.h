/*
 * Private to the linux platform of the kernel interface: the registry of
 * the descriptors the kernel interface keeps for itself (endpoint receive
 * ends, channels, signal receive ends), as opposed to capabilities, which
 * belong to the caller.
 *
 * The registry serves three purposes:
 *   - reply tokens: a token names a server channel by descriptor and
 *     generation; the registry says whether the token is still current and
 *     whether its request still awaits a reply, so a stale token can never
 *     answer a newer caller on a reused descriptor;
 *   - kcap_close() refuses to close a descriptor that is not the caller's;
 *   - after fork() the child closes every registered descriptor, so a
 *     child never holds a server's receive ends (which would keep its
 *     objects from being revoked when the server dies) and never shares a
 *     client channel with its parent.
 */
#ifndef KERNEL_LINUX_REGISTRY_H
#define KERNEL_LINUX_REGISTRY_H

#include <stdint.h>

#include "kernel/kernel.h"

enum registry_kind {
	REGISTRY_FREE,
	REGISTRY_ENDPOINT_RECV,  /* server end of an endpoint socket pair */
	REGISTRY_SERVER_CHANNEL, /* server end of a caller's private channel */
	REGISTRY_CLIENT_CHANNEL, /* caller end of a private channel */
	REGISTRY_SIGNAL_RECV,    /* receive end of a signal source */
};

/* Which process the caller is in, as far as the kernel interface is
 * concerned: the value changes in the child of every fork(), where the
 * registered descriptors are closed. An object that records it at
 * creation and finds it changed is one of the parent's: none of its
 * descriptors are the child's to use, close or wait on. */
uint64_t registry_process_epoch(void);

/* Records `fd` as kept by the kernel interface. For a server channel,
 * *generation receives the generation that reply tokens must carry. */
int registry_add(int fd, enum registry_kind kind, uint32_t *generation);

/* Forgets `fd`; call it before closing the descriptor. */
void registry_remove(int fd);

/* Whether `fd` is a descriptor the kernel interface keeps for itself. */
int registry_is_internal(int fd);

/* Notes that a request arrived on server channel `fd`. Returns 0, or
 * KERR_DENIED when a request from that channel still awaits its reply:
 * a caller that does not wait for its reply breaks the protocol. */
int registry_begin_request(int fd);

/* If `token` names a server channel whose request awaits its reply, marks
 * it answered, returns 1 and keeps the registry locked, so the descriptor
 * cannot be closed and reused while the caller sends on it; the caller
 * then calls registry_unlock(). Otherwise returns 0, unlocked. */
int registry_claim_reply(kreply_t token);
void registry_unlock(void);

/* Between a successful registry_claim_reply() and registry_unlock(): the
 * channel of `token` takes no more requests. The next one that arrives
 * makes registry_begin_request() fail, so the waitset closes the channel
 * (a well-behaved caller has closed it already, see reply.c). */
void registry_end_claimed(kreply_t token);

#endif /* KERNEL_LINUX_REGISTRY_H */
