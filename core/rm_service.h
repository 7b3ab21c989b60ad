/*
 * Core's RM service: region-map bookkeeping as rm.rpc says. A session is
 * one region map of `size` bytes (session argument size=N, default
 * RM_DEFAULT_SIZE); core checks and records each attachment (inside the
 * map, inside the dataspace, no overlap) with a best-fit range allocator,
 * and the client's runtime maps the dataspace at the offset core chose in
 * its own reservation. What core records for a session is paid by the
 * session's RAM quota beyond the fixed session cost (the root component's
 * quota guard): an attachment past it is refused with out_of_ram until
 * the client upgrades the session or detaches.
 */
#ifndef CORE_RM_SERVICE_H
#define CORE_RM_SERVICE_H

#include "core_service.h"

#define RM_DEFAULT_SIZE (1ull << 30)
/* The session cost plus room for the map's first book-keeping block and
 * some regions. */
#define RM_SESSION_RAM_MIN ((uint64_t)12 * 1024)

struct rm_session;

struct rm_service {
	struct root_component base;
};

int rm_service_init(struct rm_service *s, entrypoint_t *ep);
void rm_service_dissolve(struct rm_service *s);

#endif
