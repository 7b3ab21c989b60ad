/*
 * riscv-net-wiring: the ports of a riscv machine's network (net_wiring.h)
 * for the shell that builds QEMU's command line (tests/riscv/
 * qemu-control.sh, rv_net_args; tests/riscv-scenarios/qemu-riscv64.sh),
 * one a line:
 *
 *   net.NODE.PORT ADDRESS PORT dial     a "peers" entry: QEMU dials
 *                                       ADDRESS:PORT for the machine
 *   listen.PORT ADDRESS PORT listen     a "listen" entry: QEMU listens
 *                                       on ADDRESS:PORT for it
 *
 * A bad policy is refused whole with exit 1 and the entry named: nothing
 * is printed then.
 */
#include "net_wiring.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	static struct net_wiring w; /* the ports: not on the stack */
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr,
		        "usage: riscv-net-wiring NET_POLICY\n"
		        "prints the virtio ports QEMU bridges to host TCP "
		        "sockets for a riscv machine\nwhose core enforces "
		        "NET_POLICY (config/net.policy), one a line:\n"
		        "  net.NODE.PORT ADDRESS PORT dial\n"
		        "  listen.PORT ADDRESS PORT listen\n");
		return 2;
	}
	if (net_wiring_read(argv[1], &w) != 0) {
		fprintf(stderr, "riscv-net-wiring: %s: %s\n", argv[1], w.why);
		return 1;
	}
	for (unsigned i = 0; i < w.count; i++)
		printf("%s %s %u %s\n", w.ports[i].name, w.ports[i].address,
		       w.ports[i].port, w.ports[i].listen ? "listen" : "dial");
	return 0;
}
