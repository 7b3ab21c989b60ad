/*
 * The IO_PORT service: it exists so that a driver gets a clear answer,
 * and every session request is denied with the reason
 * DEVICE_DENIED_REASON on every platform (riscv has no port I/O; on
 * linux, Linux keeps the devices). IRQ and IO_MEM are real services
 * (irq_service.h, io_mem_service.h).
 */
#ifndef CORE_DEVICE_SERVICE_H
#define CORE_DEVICE_SERVICE_H

#include "core_service.h"

#define DEVICE_DENIED_REASON "port I/O is given on no platform " \
	"(riscv has none; on linux, Linux keeps the devices)"

/* Serves the root of one device service named `name`. */
int device_service_init(struct root_component *svc, entrypoint_t *ep,
                        const char *name);

#endif
