/*
 * The PLIC and interrupt delivery (irq.h). The binding table is global
 * state with a reason: one interrupt controller, one kernel.
 *
 * A claimed source stays claimed until its driver acknowledges: the
 * PLIC forwards no second request of a source before its claim is
 * completed, so the open claim is the mask while the driver works, and
 * the completion is the unmask. Why not the enable bits: QEMU's PLIC
 * (7.2, and later ones) re-evaluates its output on a claim, a
 * completion, a priority or threshold write and a device's line, but
 * not on an enable write, so a source unmasked by its enable bit while
 * it was pending stayed undelivered until something else moved the PLIC
 * (measured: a virtio entropy request answered while masked waited out
 * its driver's 2 s limit on a board whose console was quiet). A claim
 * completed while its source is disabled may be ignored (the PLIC
 * specification allows it; later QEMUs do), so a source is completed
 * before it is disabled.
 */
#include "arch.h"
#include "irq.h"
#include "panic.h"

/* The PLIC's registers for hart 0's S-mode context (context 1 on virt). */
#define PLIC_PRIORITY(n)  (PLIC_BASE + 4u * (n))
#define PLIC_ENABLE       (PLIC_BASE + 0x2080u)
#define PLIC_THRESHOLD    (PLIC_BASE + 0x201000u)
#define PLIC_CLAIM        (PLIC_BASE + 0x201004u)

static struct signal *bound[IRQ_MAX];
/* claimed[irq]: claimed and not completed, its driver not yet done;
 * only a bound source stays claimed (irq.h) */
static uint8_t claimed[IRQ_MAX];

static volatile uint32_t *reg(uintptr_t addr)
{
	return (volatile uint32_t *)addr;
}

static void enable(uint64_t irq, int on)
{
	volatile uint32_t *word = reg(PLIC_ENABLE + 4u * (irq / 32u));
	uint32_t bit = 1u << (irq % 32u);
	*word = on ? *word | bit : *word & ~bit;
}

/* The claim of `irq` completed: the PLIC may deliver it again. */
static void complete(uint32_t irq)
{
	*reg(PLIC_CLAIM) = irq;
}

void irq_init(void)
{
	*reg(PLIC_THRESHOLD) = 0;
	csr_set(sie, SIE_SEIE);
}

int irq_valid(uint64_t irq)
{
	return irq > 0 && irq < IRQ_MAX;
}
int irq_bound(uint64_t irq)
{
	return bound[irq] != 0;
}

void irq_bind(uint64_t irq, struct signal *s)
{
	KASSERT(irq_valid(irq) && !bound[irq] && !claimed[irq]);
	signal_ref(s, 1);
	bound[irq] = s;
	*reg(PLIC_PRIORITY(irq)) = 1;
	enable(irq, 1);
}

void irq_unbind(uint64_t irq)
{
	KASSERT(irq_valid(irq) && bound[irq]);
	if (claimed[irq]) { /* completed while still enabled (see the top) */
		claimed[irq] = 0;
		complete((uint32_t)irq);
	}
	enable(irq, 0);
	*reg(PLIC_PRIORITY(irq)) = 0;
	signal_ref(bound[irq], -1);
	bound[irq] = 0;
}

void irq_signal_gone(struct signal *s)
{
	for (uint64_t i = 1; i < IRQ_MAX; i++)
		if (bound[i] == s)
			irq_unbind(i);
}

void irq_ack(const struct signal *s)
{
	for (uint64_t i = 1; i < IRQ_MAX; i++)
		if (bound[i] == s && claimed[i]) {
			claimed[i] = 0;
			complete((uint32_t)i);
		}
}

struct thread *irq_handle(void)
{
	uint32_t irq = *reg(PLIC_CLAIM);
	if (!irq)
		return 0; /* nothing pending any more */
	if (irq >= IRQ_MAX || !bound[irq]) {
		complete(irq); /* nobody's: unbound while it was pending */
		return 0;
	}
	KASSERT(signal_alive(bound[irq]) && !claimed[irq]);
	claimed[irq] = 1; /* until the driver acknowledges */
	return signal_submit(bound[irq], 1);
}

int irq_any_bound(void)
{
	for (uint64_t i = 1; i < IRQ_MAX; i++)
		if (bound[i])
			return 1;
	return 0;
}
