/*
 * The PLIC and interrupt delivery (irq.h). The binding table is global
 * state with a reason: one interrupt controller, one kernel.
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
	KASSERT(irq_valid(irq) && !bound[irq]);
	signal_ref(s, 1);
	bound[irq] = s;
	*reg(PLIC_PRIORITY(irq)) = 1;
	enable(irq, 1);
}

void irq_unbind(uint64_t irq)
{
	KASSERT(irq_valid(irq) && bound[irq]);
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
		if (bound[i] == s)
			enable(i, 1);
}

struct thread *irq_handle(void)
{
	uint32_t irq = *reg(PLIC_CLAIM);
	struct thread *woken = 0;
	if (irq && irq < IRQ_MAX && bound[irq]) {
		KASSERT(signal_alive(bound[irq]));
		enable(irq, 0); /* until the driver acknowledges */
		woken = signal_submit(bound[irq], 1);
	}
	if (irq)
		*reg(PLIC_CLAIM) = irq; /* complete */
	return woken;
}

int irq_any_bound(void)
{
	for (uint64_t i = 1; i < IRQ_MAX; i++)
		if (bound[i])
			return 1;
	return 0;
}
