/*
 * boot_riscv_net.h: the net ports of a riscv machine sculpt boots, in
 * QEMU's words; the same ones tests/riscv/qemu-control.sh (rv_net_port)
 * writes for the test harness.
 */
#include "boot_riscv_net.h"

#include "lib/state.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Port i's two words: the virtserialport and the socket it bridges to
 * (a name of NET_WIRING_NAME_MAX and an address of 15 characters fit). */
static void port_words(struct rv_net *n, unsigned i)
{
	const struct net_wiring_port *p = &n->wiring.ports[i];
	char(*w)[160] = n->words[i];
	int a = snprintf(
		w[0], sizeof(w[0]),
		"virtserialport,bus=net-serial.0,chardev=net%u,name=%s", i + 1,
		p->name);
	int b = snprintf(w[1], sizeof(w[1]),
	                 "socket,id=net%u,host=%s,port=%u,%s", i + 1,
	                 p->address, p->port,
	                 p->listen ? "server=on,wait=off" : "reconnect=1");
	assert(a > 0 && a < (int)sizeof(w[0]) && b > 0 &&
	       b < (int)sizeof(w[1]));
	(void)a;
	(void)b;
}

int rv_net_read(const char *target, struct rv_net *n, struct sculpt_diag *diag)
{
	int err = state_path(target, "config/net.policy", n->policy, diag);

	n->present = 0;
	n->argc = 0;
	if (err)
		return err;
	if (access(n->policy, F_OK) != 0) {
		if (errno == ENOENT)
			return 0;
		return sculpt_fail(diag, SCULPT_E_IO, "cannot read '%s': %s",
		                   n->policy, strerror(errno));
	}
	if (net_wiring_read(n->policy, &n->wiring) != 0)
		return sculpt_fail(diag, SCULPT_E_USAGE,
		                   "'%s' cannot be wired: %s (the policy is "
		                   "linux core's, core/README.md \"Net\")",
		                   n->policy, n->wiring.why);
	n->present = 1;
	n->argv[n->argc++] = "-device";
	n->argv[n->argc++] = "virtio-serial-device,id=net-serial";
	for (unsigned i = 0; i < n->wiring.count; i++) {
		port_words(n, i);
		n->argv[n->argc++] = "-device";
		n->argv[n->argc++] = n->words[i][0];
		n->argv[n->argc++] = "-chardev";
		n->argv[n->argc++] = n->words[i][1];
	}
	return 0;
}
