/*
 * Core's Net service on riscv (runtime/session/net.rpc), beside linux's
 * core/net_service.h: a session may connect to the nodes and accept on
 * the ports that config/net.policy names for its label, decided by the
 * same code as on linux (core/net_policy.h; the policy is the config
 * module or push `config/net.policy`). What it gets is a kernel stream
 * (kernel.h, "streams") whose other end core pumps to a net port of the
 * board (net_ports.h). The policy's "address" is not where the bytes go:
 * the host's wiring of the port is. connect(NODE) takes port
 * `net.NODE.PORT`, PORT the policy's entry's (a node may be listed once
 * per port, for other clients; QEMU dials the host:
 * tests/riscv/qemu-control.sh, rv_net_args; the scenarios wire the ports
 * from the policy with kernel/riscv/tool/net_wiring.c), `unreachable`
 * when the board has no such port or its host side is not open (or
 * another session's stream is on it);
 * accept(PORT) takes port `listen.PORT` (QEMU listens on the host) once
 * the peer there opened a connection, `none` before, one stream per
 * connection (the ends frame connections over a port: net_ports.h). One
 * stream per session, as on linux: connect() or accept() again ends the
 * one before (it reads and writes KERR_REVOKED), closing the session
 * ends it; so do the peer closing the connection and the host closing
 * its side, once what came before is in the client's ring (what the
 * client has not read then is lost: the failed pair reads KERR_REVOKED
 * first); `unreachable` also while the port's peer broke the framing.
 */
#ifndef CORE_RISCV_NET_SERVICE_H
#define CORE_RISCV_NET_SERVICE_H

#include "core_service.h"

#include <runtime/entrypoint.h>

struct target;

struct net_service {
	struct root_component base;
	struct target *target;
	/* on the entrypoint after a stream was handed out: core drops its
	 * copy of the client's end once the reply carried it, so that the
	 * client's close is the end's close */
	entrypoint_signal_t handed;
	kcap_t handed_cap;
};

int net_service_init(struct net_service *s, entrypoint_t *ep,
                     struct target *target);
/* Closes every session (and so ends every stream) and the root. */
void net_service_dissolve(struct net_service *s);

#endif /* CORE_RISCV_NET_SERVICE_H */
