/*
 * The net ports on riscv: the ports of the board's third virtio console
 * (virtio_console.h), each bridged by QEMU to a host TCP socket and named
 * `net.<node>` (tests/riscv/qemu-control.sh). A thread of core's follows
 * the device's control messages and says in one line when a port's host
 * side opens or closes (the base of core's Net service on riscv, which
 * is not there yet: core/README.md, "core on riscv").
 */
#ifndef CORE_RISCV_NET_PORTS_H
#define CORE_RISCV_NET_PORTS_H

/* Starts the thread if the board has the third console; a device that
 * refuses the set-up gets one line and no thread. */
void net_ports_start(void);

#endif /* CORE_RISCV_NET_PORTS_H */
