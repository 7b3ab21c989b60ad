/*
 * The thread of net_ports.h. It lives as long as core: the device is
 * core's for as long as the machine runs, and QEMU keeps the host
 * sockets whether or not core listens. It waits on the device's
 * interrupt, and POLL_MS at a time all the same, so a message whose
 * interrupt was missed is taken at the next turn.
 */
#include "net_ports.h"
#include "virtio_console.h"

#include "core_platform.h"

#include <kernel/kernel.h>

#include <stdint.h>
#include <stdio.h>

#define POLL_MS 100

/* The thread's state: set before it starts, its own after. */
struct net_ports {
	kwaitset_t *ws;
	struct virtio_console *vc;
	uint8_t named[VIRTIO_PORTS_MAX]; /* the device named the port */
};

static void port_seen(void *arg, unsigned id, const char *name, int open)
{
	struct net_ports *np = arg;
	np->named[id] = 1;
	target_logf(NULL, "net: the host side of port '%s' %s", name,
	            open ? "opened" : "closed");
}

/* What the host sent to the named ports, read and dropped: no client of
 * core's holds a port yet (the Net service is to come), and a port whose
 * bytes nobody reads would keep QEMU from reading its socket, and so
 * from seeing the host close it. 0, or -1 once the device broke a
 * port's queue. */
static int drop_input(struct net_ports *np)
{
	static char sink[4096]; /* only this thread's */
	for (unsigned id = 1; id < VIRTIO_PORTS_MAX; id++) {
		long n;
		if (!np->named[id])
			continue;
		while ((n = virtio_console_port_read(np->vc, id, sink,
		                                     sizeof(sink))) > 0)
			;
		if (n < 0)
			return -1;
	}
	return 0;
}

static void ports_main(void *arg)
{
	struct net_ports *np = arg;
	kevent_t event;
	kmsg_t msg; /* never filled: no endpoint is in ws */
	while (virtio_console_ports_poll(np->vc, port_seen, np) == 0 &&
	       drop_input(np) == 0)
		(void)kwaitset_wait(np->ws, &event, &msg, POLL_MS);
	target_logf(NULL, "net: the ports' virtio console stopped: %s",
	            virtio_console_broken(np->vc));
	/* the device reset, so it never touches memory core gave back */
	virtio_console_stop(np->vc);
	kwaitset_destroy(np->ws);
}

void net_ports_start(void)
{
	/* static: the thread's for as long as core runs */
	static struct net_ports np;
	static kthread_t *thread;
	char why[160];
	if (kwaitset_create(&np.ws) != 0) {
		target_logf(NULL, "net: no waitset: the net ports are off");
		return;
	}
	int rc = virtio_console_start_ports(&np.vc, np.ws, why, sizeof(why));
	if (rc == 0 && kthread_create(&thread, "net-ports", (size_t)32 * 1024,
	                              ports_main, &np) != 0) {
		virtio_console_stop(np.vc);
		snprintf(why, sizeof(why), "no thread");
		rc = -1;
	}
	if (rc == 0)
		return;
	if (rc < 0)
		target_logf(NULL, "net: %s: the net ports are off", why);
	kwaitset_destroy(np.ws);
}
