/*
 * The host side of a riscv machine's network, read from the same
 * config/net.policy that core on the machine enforces
 * (core/net_policy.h). Core on riscv has no network card: each peer it
 * may dial and each port it may listen on is a port of a virtio console
 * that QEMU bridges to a TCP socket of the host (core/riscv/net_ports.h):
 *
 *   net.NODE.PORT  a "peers" entry: QEMU dials ADDRESS:PORT for it
 *   listen.PORT    a "listen" entry: QEMU listens on ADDRESS:PORT for it
 *
 * Read by riscv-net-wiring (the test harness's wiring) and by `sculpt
 * boot --platform qemu-riscv64`. The policy crosses a trust boundary (a
 * target's config), so it is read with a bound (64 KiB, as core reads
 * it), every field checked by type and range, and a bad one refused
 * whole with the entry's number. QEMU's socket takes a host name too;
 * only numeric IPv4 is taken here, as core takes only numeric addresses.
 */
#ifndef RISCV_TOOL_NET_WIRING_H
#define RISCV_TOOL_NET_WIRING_H

#include <stddef.h>

/* The ports core takes of the console: VIRTIO_PORTS_MAX - 1
 * (core/riscv/virtio_console.h; port 0 is the console's own) */
#define NET_WIRING_PORTS_MAX 7u
#define NET_WIRING_NAME_MAX 80u /* "net." + 63 of the node + ".65535" */

struct net_wiring_port {
	char name[NET_WIRING_NAME_MAX];
	char address[16]; /* dotted IPv4 */
	unsigned port;    /* 1..65535 */
	int listen;       /* QEMU listens; else it dials */
};

struct net_wiring {
	struct net_wiring_port ports[NET_WIRING_PORTS_MAX];
	unsigned count;
	char why[160]; /* when a read refused the policy */
};

/* The ports of the policy at `path` into *w: 0, or -1 with w->why (the
 * file unreadable or too large, no JSON object, a bad entry); a port
 * listed twice alike is one. */
int net_wiring_read(const char *path, struct net_wiring *w);

/* The same for the policy's text. */
int net_wiring_parse(const char *text, size_t len, struct net_wiring *w);

#endif /* RISCV_TOOL_NET_WIRING_H */
