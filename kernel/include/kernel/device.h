/*
 * Devices: the part of the kernel interface that core's IO_MEM and IRQ
 * services sit on (core/io_mem_service.c, core/irq_service.c). Like
 * pd.h it is core's: the kernel refuses device memory and interrupt
 * binding to every other domain. The one exception is the acknowledgement
 * of an interrupt, which is the driver's, the owner of the signal the
 * interrupt arrives at; components reach it only through libruntime's IRQ
 * connection (runtime/irq_connection.h), never directly.
 *
 * The board's devices are the platform's to describe (kdevice_board): a
 * driver may have a range or an interrupt only of a device listed there,
 * so RAM and the kernel's own devices (its interrupt controller, its
 * timer) are never handed out. A platform without device access (linux:
 * its kernel is Linux) answers every call with KERR_DENIED and says why.
 *
 * An interrupt is delivered as one submit to the bound signal; the source
 * then stays masked until the driver acknowledges, so a driver handles
 * the device, then acknowledges, then waits.
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include <kernel/kernel.h>

/* One device of the board a driver may have. */
struct kdevice {
	const char *name; /* "uart0" */
	uint64_t phys;    /* its registers: a page-aligned range */
	uint64_t size;    /* bytes, a multiple of the page size */
	uint32_t irq;     /* its interrupt, 0: none */
};

/* The board's devices for drivers: *devices[0..*count). 0, or
 * KERR_DENIED where the platform has no device access, with the reason
 * in *why (a static string). */
int kdevice_board(const struct kdevice **devices, size_t *count,
                  const char **why);

/* The bytes of a page, the granule of device memory. */
size_t kdevice_page_size(void);

/* A memory object over the device registers [phys, phys + size), mapped
 * with kmem_map like RAM (uncached, never read or written by the kernel
 * for a program). KERR_DENIED for a range the kernel keeps or that is no
 * device, KERR_INVALID for one not page-aligned, KERR_NOMEM. */
int kdevice_mem_create(uint64_t phys, uint64_t size, kcap_t *mem);

/* Interrupt `irq` counts on `signal` from now on. KERR_INVALID for an
 * interrupt that does not exist or is bound already, KERR_WRONG_TYPE,
 * KERR_REVOKED for a signal whose owner ended. The binding ends with
 * kdevice_irq_unbind, or when the signal is destroyed or its owner ends;
 * then the interrupt can be bound again at once. */
int kdevice_irq_bind(uint32_t irq, kcap_t signal);

/* Interrupt `irq` bound to nothing from now on (core's IRQ service on a
 * session's close). KERR_INVALID for one not bound (its driver's signal
 * ended already). */
int kdevice_irq_unbind(uint32_t irq);

/* Takes device memory back: `mem` (from kdevice_mem_create) unmapped from
 * every domain that maps it, so the range can go to another driver and
 * the old holder's next access faults, and never mapped again (a holder
 * that kept a capability gets KERR_REVOKED from kmem_map): core's IO_MEM
 * service on a session's close, before it closes its capability. 0,
 * KERR_INVALID, KERR_WRONG_TYPE. */
int kdevice_mem_revoke(kcap_t mem);

/* Unmasks the interrupts bound to `signal`, which the caller owns (it
 * made the signal source): the driver is done with the last one.
 * KERR_DENIED for a signal of another domain. */
int kdevice_irq_ack(kcap_t signal);

#endif /* KERNEL_DEVICE_H */
