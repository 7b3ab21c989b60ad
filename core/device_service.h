/*
 * The device services IRQ, IO_MEM and IO_PORT on the linux platform: they
 * exist so that a driver gets a clear answer, and every session request is
 * denied with the reason DEVICE_DENIED_REASON (the bare-metal platform
 * implements them).
 */
#ifndef CORE_DEVICE_SERVICE_H
#define CORE_DEVICE_SERVICE_H

#include "core_service.h"

#define DEVICE_DENIED_REASON "device access needs the bare-metal platform"

/* Serves the root of one device service named `name`. */
int device_service_init(struct root_component *svc, entrypoint_t *ep,
                        const char *name);

#endif
