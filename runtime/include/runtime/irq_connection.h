/*
 * An IRQ connection: a driver's side of an IRQ session at core
 * (runtime/session/irq.rpc). irq_connection_open() opens the session for
 * one interrupt and gives core a signal to count it on; the driver waits
 * on its signal receiver, handles the device, then calls
 * irq_connection_ack(), after which the next interrupt can come. The
 * interrupt stays masked from its delivery until that acknowledgement.
 *
 * The acknowledgement is a kernel call of the signal's owner (the
 * driver) made here, not an RPC to core: the kernel unmasks only the
 * interrupts bound to a signal of the caller's own, so nothing is gained
 * by asking core, and an interrupt costs one system call instead of a
 * round trip (kernel/riscv/README.md, "Devices").
 */
#ifndef RUNTIME_IRQ_CONNECTION_H
#define RUNTIME_IRQ_CONNECTION_H

#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/connection.h>

struct env;

struct irq_connection {
	connection_t connection;
	kcap_t signal; /* borrowed from the caller: what counts */
};

/* Opens an IRQ session for interrupt `irq` and binds it to `signal`, a
 * capability of a signal context the caller manages (signal.h; it stays
 * the caller's). On failure the connection is closed and the status says
 * why (runtime_strerror(); core's refusal, e.g. "IRQ 10 is held by
 * another session", is in its log). */
int irq_connection_open(struct irq_connection *irq, struct env *env,
                        uint32_t number, kcap_t signal);

/* The driver is done with the last interrupt: unmasks it. 0 or the
 * kernel's error (KERR_DENIED on a platform without devices). */
int irq_connection_ack(struct irq_connection *irq);

/* Closes the session: core unbinds the interrupt (on riscv the kernel
 * also unbinds it when the signal is destroyed or the driver ends), so a
 * new IRQ session for the number binds at once. */
void irq_connection_close(struct irq_connection *irq);

#endif /* RUNTIME_IRQ_CONNECTION_H */
