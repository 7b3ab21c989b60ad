/*
 * Interrupts of devices, delivered as signals (issue 15 item 2): the
 * PLIC of the virt board routes a source to this hart's S-mode context;
 * the kernel claims it and submits 1 to the signal bound to it. The
 * driver, the signal's owner, handles the device and acknowledges
 * (SYS_IRQ_ACK), which completes the claim: until then the PLIC does not
 * deliver that source again (irq.c says why the claim is the mask).
 * Binding a source to a signal is the root's (core's IRQ service):
 * SYS_IRQ_BIND. The kernel never touches the device itself.
 *
 * Invariants: a source is bound to at most one signal and then holds a
 * reference to it; a bound source is enabled in the PLIC, an unbound
 * one disabled; only a bound source is left claimed, and then until its
 * acknowledgement or its unbinding; a bound signal is alive: a
 * source is unbound when its signal is destroyed or the signal's owner
 * ends (irq_signal_gone), or by the root (SYS_IRQ_UNBIND), so a new
 * driver can have it at once.
 */
#ifndef RISCV_IRQ_H
#define RISCV_IRQ_H

#include "signal.h"

#define IRQ_MAX 64u   /* virt's PLIC has 53 sources; 0 means none */

void irq_init(void);

int irq_valid(uint64_t irq);
int irq_bound(uint64_t irq);
void irq_bind(uint64_t irq, struct signal *s);
/* The source masked and bound to nothing (it is bound). */
void irq_unbind(uint64_t irq);
/* `s` is being destroyed: every source bound to it is unbound. */
void irq_signal_gone(struct signal *s);
/* Completes the claim of every source bound to `s` that is claimed: the
 * PLIC may deliver it again. */
void irq_ack(const struct signal *s);

/* An external interrupt came: returns the thread it woke, or 0. */
struct thread *irq_handle(void);

/* Whether any source is bound: then a hart with nothing to run waits
 * for an interrupt instead of declaring every thread blocked. */
int irq_any_bound(void);

#endif /* RISCV_IRQ_H */
