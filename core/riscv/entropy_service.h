/*
 * Core's Entropy service on riscv (runtime/session/entropy.rpc): random
 * bytes from the board's virtio entropy device (entropy.h), which only
 * core, the root, can drive, for the components' getentropy()
 * (runtime/env/getentropy_session.c). A session is the record alone;
 * read() hands out at most 256 bytes per call, fresh from the device,
 * never kept or shared between sessions. Without the device every
 * session is refused with the reason it has none.
 */
#ifndef CORE_RISCV_ENTROPY_SERVICE_H
#define CORE_RISCV_ENTROPY_SERVICE_H

#include "core_service.h"

struct target;

struct entropy_service {
	struct root_component base;
	char denied[ROOT_REASON_MAX]; /* why no session is made, or "" */
};

/* Starts the entropy device (said in core's log when there is none) and
 * serves the root of the service on `ep`. 0 or a KERR_*. */
int entropy_service_init(struct entropy_service *s, entrypoint_t *ep,
                         struct target *target);

void entropy_service_dissolve(struct entropy_service *s);

#endif
