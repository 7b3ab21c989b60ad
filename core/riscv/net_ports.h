/*
 * The net ports on riscv: the ports of the board's third virtio console
 * (virtio_console.h), each bridged by QEMU to a host TCP socket
 * (tests/riscv/qemu-control.sh): `net.NODE.PORT`, a connection QEMU dials to
 * the host (core's Net service connects a client to it), and
 * `listen.PORT`, one QEMU listens for (the service's accept()). A thread
 * of core's follows the device's control messages, says in one line when
 * a port's host side opens or closes, and pumps the bytes between each
 * port and the kernel stream (kernel.h, "streams") core attached to it
 * for a client (net_service.h), in both directions.
 *
 * A guest cannot close the host's TCP connection, so the two ends of a
 * port frame their connections over it (core/net_frame.h): each stream
 * attached to a `net.` port is a connection of its own that the peer's
 * `listen.` port accepts anew, and a byte of an older connection never
 * reaches a newer one. The host side closing ends the connection open on
 * it; its opening again starts the framing anew.
 *
 * A port carries one stream at a time. Until one is attached, and after
 * it ended, what the host sends is read and dropped (its frames are
 * stale), except on a `listen.` port whose peer opened a connection not
 * yet accepted: that connection's bytes wait. A port whose bytes nobody
 * reads would keep QEMU from reading its socket, and so from seeing the
 * host close it. A port whose peer sent a malformed stream gets one line
 * and drops its input until its host side opens again (net_ports.c says
 * why).
 */
#ifndef CORE_RISCV_NET_PORTS_H
#define CORE_RISCV_NET_PORTS_H

#include <kernel/kernel.h>

/* Starts the thread if the board has the third console; a device that
 * refuses the set-up gets one line and no thread (every port is then
 * NET_PORT_NONE). */
void net_ports_start(void);

/* What net_ports_attach() says. */
enum net_port_attach {
	NET_PORT_ATTACHED,
	NET_PORT_NONE,      /* no port of that name on the board */
	NET_PORT_CLOSED,    /* its host side is not open */
	NET_PORT_BROKEN,    /* its peer's stream was refused (malformed), or
	                       2^32-1 connections used its ids up */
	NET_PORT_TAKEN,     /* listen.: no connection opened since the last
	                       stream's */
	NET_PORT_IN_USE,    /* another owner's stream is on it */
	NET_PORT_NO_STREAM, /* the kernel made no stream (pool, quota) */
};

/* A new stream pair on port `name` for `owner` (a session), whose host
 * side is open: core keeps one end and pumps it, the other goes into
 * *client (the caller's to close once handed on). Every other stream of
 * the owner, on this port or another, is ended first: its pair failed
 * (its holder reads and writes KERR_REVOKED) and no longer pumped. On a
 * `net.` port the stream is a new connection (its OPEN goes to the
 * peer); on a `listen.` port it takes the connection the peer opened
 * last, which must not have had a stream yet (accept: one stream per
 * connection). Never blocks for long. */
enum net_port_attach net_ports_attach(const char *name, const void *owner,
                                      kcap_t *client);

/* Ends the stream of `owner`, if it has one, as net_ports_attach() ends
 * the ones it replaces. */
void net_ports_detach(const void *owner);

#endif /* CORE_RISCV_NET_PORTS_H */
