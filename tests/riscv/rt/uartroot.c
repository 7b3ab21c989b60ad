/*
 * The root for the UART driver test, standing in for core's IO_MEM and
 * IRQ services: it starts boot module 1 (uart.c) with an endpoint, and
 * answers the driver's one request, which carries the driver's signal,
 * by binding the UART's interrupt (IRQ 10) to that signal and replying
 * with device memory of the UART (0x10000000, one page). A second request
 * says the driver is done; the root then ends with the driver's status.
 * The kernel's calls for both are the root's alone (SYS_IRQ_BIND,
 * SYS_IOMEM_CREATE); everything else is the kernel interface.
 */
#include <kernel/kernel.h>

#include "sys.h"

#include <stdio.h>
#include <string.h>

#define UART_BASE 0x10000000l
#define UART_IRQ  10l

/* Serves the driver's first request: its signal bound, the UART's
 * device memory in the reply. 0 or the error. */
static int grant(const kmsg_t *req, kmsg_t *reply)
{
	if (req->cap_count != 1 || kcap_type(req->caps[0]) != KCAP_TYPE_SIGNAL)
		return KERR_INVALID;
	long err = sys_call2(SYS_IRQ_BIND, UART_IRQ, req->caps[0].sel);
	long iomem = err ? err : sys_call2(SYS_IOMEM_CREATE, UART_BASE, 4096);
	if (iomem < 0)
		return (int)iomem;
	reply->cap_count = 1;
	reply->caps[0] = (kcap_t){ (int32_t)iomem };
	return 0;
}

int main(void)
{
	kwaitset_t *ws;
	kendpoint_t *ep;
	kcap_t cap;
	static kmsg_t req, reply;
	kevent_t ev;
	int err = kwaitset_create(&ws);
	err = err ? err : kendpoint_create(&ep, &cap);
	err = err ? err : kwaitset_add_endpoint(ws, ep, ep);
	err = err ? err : (int)sys_pd_create(1, cap.sel);
	err = err ? err : kwaitset_wait(ws, &ev, &req, -1);
	err = err ? err : grant(&req, &reply);
	printf("IRQ %ld and the UART's registers granted: %s\n", UART_IRQ,
	       kerr_str(err));
	if (err)
		return 1;
	kipc_reply(ev.reply, &reply);
	kcap_close(reply.caps[0]);
	kcap_close(req.caps[0]);
	err = kwaitset_wait(ws, &ev, &req, -1);
	int status = !err && req.size == 1 ? req.data[0] : 99;
	printf("the driver is done with status %d\n", status);
	reply = (kmsg_t){ .size = 0 };
	kipc_reply(ev.reply, &reply);
	return status;
}
