/*
 * Core's Net service: network authority on the linux platform. A session
 * connects to the peers that config/net.policy names for its label
 * (net_policy.h) and hands the connected socket to the client as a stream
 * capability (kernel.h, "streams"); components themselves cannot open
 * sockets (kernel/linux/confine.c). Interface: runtime/session/net.rpc.
 */
#ifndef CORE_NET_SERVICE_H
#define CORE_NET_SERVICE_H

#include "core_service.h"
#include "target.h"

struct net_service {
	struct root_component base;
	struct target *target;
};

int net_service_init(struct net_service *s, entrypoint_t *ep,
                     struct target *target);
/* Closes every session (and so every stream core still holds) and the root. */
void net_service_dissolve(struct net_service *s);

#endif
