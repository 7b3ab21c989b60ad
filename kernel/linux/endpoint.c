/*
 * Endpoints of the kernel interface on Linux: the server side of one RPC
 * object. An endpoint is a SOCK_SEQPACKET socket pair; the server keeps
 * one end (recv_fd), the other end is the capability. The object's
 * identity is that socket itself, so holding the capability is the only
 * way to reach the object: no number in any message names it.
 *
 * The server never sends on its end, and needs no shutdown() to make
 * sure (components are not allowed one, see confine.c): a holder of the
 * capability can send channel openings, and nothing it does to its end
 * (the one socket every holder shares) stops the others from doing so.
 *
 * Dissolving closes the server end and every channel opened to it; every
 * caller then sees end-of-file or EPIPE, which call.c reports as
 * KERR_REVOKED. The death of the server process does the same by itself.
 * In a child after fork() the server end is already closed (registry.h):
 * dissolving a parent's endpoint there only frees its memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "cap.h"
#include "endpoint.h"
#include "error.h"
#include "registry.h"
#include "waitset.h"

int kendpoint_create(kendpoint_t **ep, kcap_t *cap)
{
	int sv[2];

	if (!ep || !cap)
		return KERR_INVALID;
	kendpoint_t *e = calloc(1, sizeof *e);
	if (!e)
		return KERR_NOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		int err = kerr_from_errno(errno);
		free(e);
		return err;
	}
	/* The server end only ever receives channel openings, and learns
	 * from the kernel which process each comes from (waitset.c). */
	int on = 1;
	int err = KERR_OK;
	if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0)
		err = kerr_from_errno(errno);
	if (err == KERR_OK)
		err = cap_identity(sv[1], &e->cap_dev, &e->cap_ino);
	if (err == KERR_OK)
		err = registry_add(sv[0], REGISTRY_ENDPOINT_RECV,
		                   &e->generation);
	if (err != KERR_OK) {
		close(sv[0]);
		close(sv[1]);
		free(e);
		return err;
	}
	e->recv_fd = sv[0];
	e->process = registry_process_epoch();
	*ep = e;
	cap->sel = sv[1];
	return KERR_OK;
}

void kendpoint_dissolve(kendpoint_t *ep)
{
	if (!ep)
		return;
	waitset_detach_endpoint(ep);
	if (ep->process == registry_process_epoch()) {
		registry_remove(ep->recv_fd);
		close(ep->recv_fd);
	}
	free(ep);
}

int kendpoint_owns(const kendpoint_t *ep, kcap_t cap)
{
	dev_t dev;
	ino_t ino;

	if (!ep || cap_identity(cap.sel, &dev, &ino) != KERR_OK)
		return 0;
	return dev == ep->cap_dev && ino == ep->cap_ino;
}
