/*
 * Core's LOG service: each session writes lines tagged with the client's
 * label, "[init -> hello] hi", to core's standard output and to the log
 * file of the top-level component (target.h).
 */
#ifndef CORE_LOG_SERVICE_H
#define CORE_LOG_SERVICE_H

#include "core_service.h"
#include "core_platform.h"

struct log_service {
	struct root_component base;
	struct target *target;
};

int log_service_init(struct log_service *s, entrypoint_t *ep,
                     struct target *target);
/* Closes every session and the root. */
void log_service_dissolve(struct log_service *s);

#endif
