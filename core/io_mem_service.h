/*
 * Core's IO_MEM service (runtime/session/io_mem.rpc), written once over
 * the kernel's device interface (kernel/device.h) for every platform: a
 * session is the registers [base, base + size) of a device of the board
 * as a dataspace. Policy: the range is page-aligned, does not wrap, lies
 * inside one device kdevice_board() lists (so never RAM and never the
 * kernel's own devices: the kernel refuses those too, the service
 * refuses first), and overlaps no range another session holds. On a
 * platform without devices every session is refused with the platform's
 * reason. Self-contained, so that either core or a test root plugs it in
 * with io_mem_service_init().
 */
#ifndef CORE_IO_MEM_SERVICE_H
#define CORE_IO_MEM_SERVICE_H

#include <kernel/device.h>

#include "core_service.h"

struct io_mem_service {
	struct root_component base;
	const struct kdevice *devices; /* the board's, from kdevice_board */
	size_t device_count;
	const char *denied;        /* the platform's reason, or NULL */
	char why[ROOT_REASON_MAX]; /* the last refusal */
};

/* Serves the root of the IO_MEM service on `ep`. 0 or a KERR_*. */
int io_mem_service_init(struct io_mem_service *s, entrypoint_t *ep);

/* Closes every session and the root. */
void io_mem_service_dissolve(struct io_mem_service *s);

#endif
