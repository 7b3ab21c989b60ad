/*
 * Core's RM service: region-map bookkeeping as rm.rpc says. A session is
 * one region map of `size` bytes (session argument size=N, default
 * RM_DEFAULT_SIZE); core checks and records each attachment (inside the
 * map, inside the dataspace, no overlap) with a best-fit range allocator,
 * and the client's runtime maps the dataspace at the offset core chose in
 * its own reservation. Each recorded region costs RM_REGION_COST bytes of
 * the session's RAM quota.
 */
#ifndef CORE_RM_SERVICE_H
#define CORE_RM_SERVICE_H

#include "service.h"

#define RM_DEFAULT_SIZE (1ull << 30)
#define RM_REGION_COST  128u

struct rm_session;

struct rm_service {
	struct root_component base;
};

int rm_service_init(struct rm_service *s, entrypoint_t *ep);
void rm_service_dissolve(struct rm_service *s);

#endif
