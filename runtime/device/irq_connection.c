/*
 * IRQ connections (runtime/irq_connection.h): the IRQ session's stubs
 * and the acknowledgement through the kernel's device interface, the one
 * call of kernel/device.h that a component makes, here in libruntime.
 */
#include <runtime/irq_connection.h>

#include <kernel/device.h>
#include <runtime/env.h>

#include <stdio.h>

#include "irq_rpc.h"

int irq_connection_open(struct irq_connection *irq, struct env *env,
                        uint32_t number, kcap_t signal)
{
	char args[32];
	snprintf(args, sizeof args, "irq=%u", (unsigned)number);
	irq->signal = KCAP_INVALID;
	int rc = connection_open(&irq->connection, env, "IRQ", args);
	if (rc)
		return rc;
	rc = irq_sigh(irq->connection.cap, signal);
	if (rc) {
		connection_close(&irq->connection);
		return rc;
	}
	irq->signal = signal;
	return 0;
}

int irq_connection_ack(struct irq_connection *irq)
{
	return kdevice_irq_ack(irq->signal);
}

void irq_connection_close(struct irq_connection *irq)
{
	connection_close(&irq->connection);
	irq->signal = KCAP_INVALID;
}
