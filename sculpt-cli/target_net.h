/*
 * The network of a riscv machine `sculpt boot --platform qemu-riscv64`
 * starts, and of `sculpt apply` to it while it runs. TARGET/config/
 * net.policy, the file linux core reads, is what core on riscv enforces
 * (core/riscv/net_service.h), and each port it names (net_wiring.h) is a
 * port of a virtio-serial device that QEMU bridges to a host TCP socket
 * (core/riscv/net_ports.h): the machine reaches what the policy lets it
 * reach, over the host's network.
 *
 * At boot the policy goes into the image as module config/net.policy,
 * its ports are wired, and the machine gets QEMU's monitor (qmp.h) on
 * the fifos TARGET/sculpt/qmp.in and .out. What the machine holds is
 * recorded: TARGET/sculpt/net.policy (the policy it enforces) and
 * TARGET/sculpt/net.wired (its ports, a name a line). No policy: no net
 * device, and no records.
 *
 * At apply a policy that differs from the recorded one is delivered
 * live: the ports the machine lacks are added through the monitor (a
 * virtio-serial port plugs in while the machine runs), then the policy
 * is pushed as ROM config/net.policy. A port the new policy no longer
 * names stays wired; core refuses it by the policy. A removed policy is
 * pushed as the empty one, which allows nothing, as linux core allows
 * nothing without the file.
 */
#ifndef SCULPT_TARGET_NET_H
#define SCULPT_TARGET_NET_H

#include "../kernel/riscv/tool/net_wiring.h"
#include "sculpt.h"

#include <limits.h>

struct target_control;

/* the largest policy, as core reads it (NET_POLICY_MAX_BYTES) */
#define TARGET_NET_POLICY_MAX 65536u

/* QEMU's words: the device, 4 a port, the monitor's 4 */
#define TARGET_NET_ARGS_MAX (2 + 4 * NET_WIRING_PORTS_MAX + 4)

struct target_net {
	int present;                      /* the target has a net.policy */
	char policy[PATH_MAX];            /* its path */
	char text[TARGET_NET_POLICY_MAX]; /* its text, as read once */
	size_t len;
	struct net_wiring wiring; /* its ports */
	char words[NET_WIRING_PORTS_MAX][2][160];
	char monitor[PATH_MAX + 32];
	const char *argv[TARGET_NET_ARGS_MAX];
	int argc;
};

/* The target's policy read and QEMU's words for it made (no policy is
 * no error: n->present 0, no words), or an error naming the file and the
 * entry. Nothing is written. */
int target_net_read(const char *target, struct target_net *n,
                    struct sculpt_diag *diag);

/* The policy n holds (n->present), as read once, written to its record
 * TARGET/sculpt/net.policy, whose path goes into `path`: the boot image
 * takes the policy from there, so the machine holds the very text that
 * was wired, whatever happens to config/net.policy meanwhile. */
int target_net_record_policy(const char *target, const struct target_net *n,
                             char path[PATH_MAX], struct sculpt_diag *diag);

/* The monitor's fifos made and the record of the wired ports written for
 * a machine about to boot with n (after target_net_record_policy; the
 * records of an earlier machine removed when n has no policy). */
int target_net_boot(const char *target, const struct target_net *n,
                    struct sculpt_diag *diag);

/* Delivers TARGET/config/net.policy to the machine on channel c when it
 * differs from what the machine holds (nothing on a linux target, c->fd
 * -1): its new ports added, the policy pushed, the records written. */
int target_net_deliver(const char *target, struct target_control *c,
                       struct sculpt_diag *diag);

#endif
