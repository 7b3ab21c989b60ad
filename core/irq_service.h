/*
 * Core's IRQ service (runtime/session/irq.rpc), written once over the
 * kernel's device interface (kernel/device.h) for every platform: a
 * session holds one interrupt of a device of the board, "irq=N", and
 * binds it to the driver's signal once. Policy: the number must be the
 * interrupt of a device kdevice_board() lists (never the kernel's own:
 * the kernel refuses those too, the service refuses first), one session
 * per interrupt. On a platform without devices every session is refused
 * with the platform's reason. Self-contained, so that either core (linux
 * or riscv) or a test root plugs it in with irq_service_init().
 */
#ifndef CORE_IRQ_SERVICE_H
#define CORE_IRQ_SERVICE_H

#include <stdbool.h>

#include <kernel/device.h>

#include "core_service.h"

#define IRQ_SERVICE_MAX 64u   /* interrupt numbers the service tracks */

struct irq_service {
	struct root_component base;
	const struct kdevice *devices; /* the board's, from kdevice_board */
	size_t device_count;
	const char *denied;         /* the platform's reason, or NULL */
	bool held[IRQ_SERVICE_MAX]; /* by a session */
	char why[ROOT_REASON_MAX];  /* the last refusal */
};

/* Serves the root of the IRQ service on `ep`. 0 or a KERR_*. */
int irq_service_init(struct irq_service *s, entrypoint_t *ep);

/* Closes every session and the root. */
void irq_service_dissolve(struct irq_service *s);

#endif
