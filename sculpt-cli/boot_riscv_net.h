/*
 * The network of a riscv machine `sculpt boot --platform qemu-riscv64`
 * starts: TARGET/config/net.policy, the same file linux core reads, goes
 * into the image as module config/net.policy (core on riscv enforces it,
 * core/riscv/net_service.h), and each port it names (net_wiring.h) is a
 * port of a virtio-serial device that QEMU bridges to a host TCP socket
 * (core/riscv/net_ports.h): the machine reaches what the policy lets it
 * reach, over the host's network. No policy: no net device.
 */
#ifndef SCULPT_BOOT_RISCV_NET_H
#define SCULPT_BOOT_RISCV_NET_H

#include "../kernel/riscv/tool/net_wiring.h"
#include "sculpt.h"

#include <limits.h>

/* QEMU's words for the device and its ports: 2 + 4 a port */
#define RV_NET_ARGS_MAX (2 + 4 * NET_WIRING_PORTS_MAX)

struct rv_net {
	int present;              /* the target has a net.policy */
	char policy[PATH_MAX];    /* its path, when present */
	struct net_wiring wiring; /* its ports */
	char words[NET_WIRING_PORTS_MAX][2][160];
	const char *argv[RV_NET_ARGS_MAX];
	int argc;
};

/* The target's policy read and its QEMU words made: 0 (no policy is no
 * error: n->present 0, no words), or an error after a message naming the
 * file and the entry. */
int rv_net_read(const char *target, struct rv_net *n, struct sculpt_diag *diag);

#endif
