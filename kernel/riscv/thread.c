/*
 * Domains, threads and the round-robin scheduler (thread.h). The tables
 * are static arrays: a fixed number of domains and threads until kernel
 * objects come from untyped memory (README.md). Global state with a
 * reason: one core, one kernel.
 *
 * The scheduler's invariants (asserted on each tick, ready_consistent()):
 *   - ready queues: if threads[i] is RUNNABLE with prio p, bit i of
 *     sched.ready[p] is set (sched_note_runnable at each change to
 *     RUNNABLE and of a runnable thread's priority); sched.levels bit p
 *     is set iff sched.ready[p] is not 0. A bit may outlive its reason
 *     (the thread blocked, died or changed level): next_runnable drops
 *     it when it meets it, so blocking costs nothing and each stale bit
 *     is dropped once per setting. The choice of the next thread is two
 *     bit scans plus the stale bits met, whatever THREAD_MAX is;
 *   - round robin within a level is table order after the thread that
 *     ran, itself last;
 *   - sched.woken_prio is at least the priority of every thread made
 *     RUNNABLE since the last choice (or PRIO_LEVELS after a priority
 *     change), so max(it, current's) bounds every runnable priority and
 *     the fast paths of sched_run/sched_switch may keep `current` or run
 *     an IPC partner without looking at the queues.
 */
#include "arch.h"
#include "console.h"
#include "elf.h"
#include "finisher.h"
#include "ipc.h"
#include "ipcbuf.h"
#include "irq.h"
#include "mem.h"
#include "signal.h"
#include "stream.h"
#include "waitset.h"
#include "abi.h"
#include "kernel/kernel.h"
#include "page.h"
#include "panic.h"
#include "thread.h"
#include "timer.h"

extern char boot_stack_top[];

static struct pd pds[PD_MAX];
static struct thread threads[THREAD_MAX];
static struct thread *current;
struct sched_queues sched = { .woken_prio = -1 };

_Static_assert(THREAD_MAX <= 64, "a ready queue is one 64-bit word");
_Static_assert(PD_MAX <= 256, "pd_id keeps the slot in its low 8 bits");
_Static_assert(PRIO_LEVELS <= 16, "top_level() smears 16 bits");
static struct pd *root;

unsigned caps_retarget(const void *from, void *to, unsigned count)
{
	unsigned n = 0;
	for (unsigned i = 0; i < PD_MAX && n < count; i++) {
		struct cap *slot = pds[i].cspace.slot;
		for (unsigned s = 0; s < CSPACE_SLOTS && n < count; s++)
			if (slot[s].obj == from) {
				slot[s].obj = to;
				n++;
			}
	}
	for (unsigned i = 0; i < THREAD_MAX && n < count; i++)
		for (unsigned x = 0; x < threads[i].nxfer; x++)
			if (threads[i].xfer[x].obj == from) {
				threads[i].xfer[x].obj = to;
				n++;
			}
	return n;
}

/* A new domain's bound of each kind but the root's (thread.h). */
static const uint32_t obj_share[PD_OBJ_KINDS] = {
	[PD_OBJ_THREAD] = THREAD_MAX / PD_OBJ_SHARE_DIVISOR,
	[PD_OBJ_ENDPOINT] = PD_OBJ_SHARE_ENDPOINTS,
	[PD_OBJ_SIGNAL] = PD_OBJ_SHARE_SIGNALS,
	[PD_OBJ_WAITSET] = WAITSET_MAX / PD_OBJ_SHARE_DIVISOR,
	[PD_OBJ_MEM] = MEM_MAX / PD_OBJ_SHARE_DIVISOR,
};
_Static_assert(PD_OBJ_KINDS == 5, "a new kind needs its share in obj_share");

/* A free domain slot. An ended domain's slot is free again: its threads
 * are DEAD, out of every queue, and never match a live domain's checks
 * (pd_end and thread_exit look at threads that are not DEAD). The root's
 * stays, its end stops the machine. */
static struct pd *pd_slot(void)
{
	for (unsigned i = 0; i < PD_MAX; i++)
		if (pds[i].state == PD_FREE ||
		    (pds[i].state == PD_ENDED && &pds[i] != root &&
		     !pds[i].held))
			return &pds[i];
	return 0;
}

uint32_t pd_id(const struct pd *pd)
{
	return (uint32_t)(pd - pds) | pd->gen << 8;
}

struct pd *pd_of_id(uint64_t id)
{
	uint64_t slot = id & 255u;
	if (slot >= PD_MAX || id > UINT32_MAX)
		return 0;
	struct pd *pd = &pds[slot];
	return pd->state != PD_FREE && pd->held && pd_id(pd) == id ? pd : 0;
}

void pd_release(struct pd *pd)
{
	KASSERT(pd->state == PD_ENDED && pd->held);
	pd->held = 0;
}

void pd_kill(struct pd *pd)
{
	KASSERT(pd->state == PD_RUNNING && pd != root);
	pd->killed = 1;
	kprintf("kernel: domain %s killed by its creator\n", pd->name);
	pd_end(pd, 137);
}

/* A free slot; a dead thread's slot is free once the kernel no longer
 * runs on its behalf (it is not `current`). */
static struct thread *thread_slot(void)
{
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		struct thread *t = &threads[i];
		if (t->state == THREAD_FREE ||
		    (t->state == THREAD_DEAD && t != current))
			return t;
	}
	return 0;
}

/* A thread that runs or may run again (not FREE, not DEAD). */
static int live(const struct thread *t)
{
	return t->state != THREAD_FREE && t->state != THREAD_DEAD;
}

static void thread_start(struct thread *t, struct pd *pd, uintptr_t entry,
                         uintptr_t sp)
{
	KASSERT(!t->ipcbuf[0]); /* released when it died */
	*t = (struct thread){ .state = THREAD_RUNNABLE,
		              .pd = pd,
		              .gen = t->gen + 1,
		              .prio = pd->prio,
		              .slot = (unsigned)(t - threads) };
	pd_obj_charge(pd, PD_OBJ_THREAD);
	sched_note_runnable(t);
	t->frame.sepc = entry;
	t->frame.x[REG_SP] = sp;
	/* SPP clear: sret goes to U-mode. SPIE set: irrelevant in U-mode,
	 * where S interrupts are always on, but keeps sstatus canonical. */
	t->frame.sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE)) |
	                   SSTATUS_SPIE;
	t->frame.ksp = (uintptr_t)boot_stack_top;
}

static void map_stack(struct vm_space *space)
{
	for (uintptr_t va = USER_STACK_BASE; va < USER_STACK_TOP;
	     va += PAGE_SIZE) {
		uintptr_t pa = page_alloc();
		KASSERT(pa); /* counted by pd_create's decode */
		vm_map_page(space, va, pa, VM_R | VM_W);
	}
}

static void set_name(struct pd *pd, const char *name)
{
	unsigned i = 0;
	for (; i < PD_NAME_MAX - 1 && name[i]; i++)
		pd->name[i] = name[i] >= ' ' && name[i] < 127 ? name[i] : '?';
	pd->name[i] = 0;
}

int pd_create(const char *name, const struct elf_image *image,
              const struct cap *const *caps, unsigned ncaps, struct pd **out,
              const char **why)
{
	/* decode: everything that can fail, nothing changed */
	struct elf_plan plan;
	int err = elf_decode(image, &plan, why);
	if (err)
		return err;
	size_t frames = 1 + plan.frames + USER_STACK_PAGES +
	                vm_tables_needed(USER_STACK_PAGES);
	struct pd *pd = pd_slot();
	struct thread *t = thread_slot();
	if (!pd || !t || page_free_count() < frames) {
		*why = "out of memory or domain slots";
		return KERR_NOMEM;
	}
	/* invoke: cannot fail */
	*pd = (struct pd){ .state = PD_RUNNING,
		           .gen = pd->gen + 1,
		           .prio = PRIO_DEFAULT,
		           .ram_limit = SIZE_MAX,
		           .image_frames = frames };
	for (unsigned k = 0; k < PD_OBJ_KINDS; k++)
		pd->obj_limit[k] = root ? obj_share[k] : UINT32_MAX;
	pd_charge(pd, frames);
	set_name(pd, name);
	KASSERT(vm_space_create(&pd->space) == 0);
	elf_load(&pd->space, image, &plan);
	map_stack(&pd->space);
	for (unsigned i = 0; i < ncaps; i++)
		KASSERT(cap_insert(&pd->cspace, *caps[i]) == (int)i);
	thread_start(t, pd, plan.entry, USER_STACK_TOP);
	t->frame.x[REG_A0] = ncaps; /* boot capabilities (crt0) */
	if (out)
		*out = pd;
	if (!root)
		root = pd;
	if (!current)
		current = t;
	return 0;
}

void pd_end(struct pd *pd, uint32_t status)
{
	KASSERT(pd->state == PD_RUNNING);
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (live(&threads[i]) && threads[i].pd == pd) {
			ipc_thread_abort(&threads[i]);
			signal_thread_abort(&threads[i]);
			waitset_thread_abort(&threads[i]);
			stream_thread_abort(&threads[i]);
		}
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (live(&threads[i]) && threads[i].pd == pd) {
			ipcbuf_release(&threads[i]);
			threads[i].state = THREAD_DEAD;
			pd_obj_uncharge(pd, PD_OBJ_THREAD, 1);
		}
	pd_obj_uncharge(pd, PD_OBJ_ENDPOINT, ipc_dissolve_owned(pd));
	pd_obj_uncharge(pd, PD_OBJ_SIGNAL, signal_dissolve_owned(pd));
	pd_obj_uncharge(pd, PD_OBJ_WAITSET, waitset_dissolve_owned(pd));
	cap_clear_all(&pd->cspace);
	mem_unmap_all(pd);
	vm_space_destroy(&pd->space);
	mem_disown_all(pd); /* objects others still hold: charged to none */
	stream_disown_all(pd);
	pd_uncharge(pd, pd->image_frames);
	KASSERT(pd->ram_used == 0);
	for (unsigned k = 0; k < PD_OBJ_KINDS; k++)
		KASSERT(pd->obj_used[k] == 0);
	pd->state = PD_ENDED;
	pd->status = status;
	if (pd->exit_signal) {
		if (signal_alive(pd->exit_signal))
			signal_submit(pd->exit_signal, 1);
		signal_ref(pd->exit_signal, -1);
		pd->exit_signal = 0;
	}
	uint32_t id = pd_id(pd);
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (threads[i].state == THREAD_BLOCKED_PD &&
		    threads[i].join == id)
			thread_wake(&threads[i], 0);
	kprintf("kernel: domain %s ended with status %u, %lu frames free\n",
	        pd->name, status, (unsigned long)page_free_count());
}

void pd_obj_uncharge(struct pd *pd, unsigned kind, uint32_t count)
{
	KASSERT(kind < PD_OBJ_KINDS && pd->obj_used[kind] >= count);
	pd->obj_used[kind] -= count;
}

void pd_uncharge(struct pd *pd, size_t frames)
{
	KASSERT(pd->ram_used >= frames);
	pd->ram_used -= frames;
}

unsigned pd_index(const struct pd *pd)
{
	return (unsigned)(pd - pds);
}

struct pd *pd_at_index(unsigned index)
{
	KASSERT(index < PD_MAX);
	return &pds[index];
}

int pd_is_root(const struct pd *pd)
{
	return pd == root;
}

struct thread *thread_current(void)
{
	return current;
}

int thread_available(void)
{
	return thread_slot() != 0;
}

void thread_create(struct pd *pd, uintptr_t entry, uintptr_t sp, uint64_t arg)
{
	struct thread *t = thread_slot();
	KASSERT(t && pd->state == PD_RUNNING);
	thread_start(t, pd, entry, sp);
	t->frame.x[REG_A0] = arg;
}

void thread_exit(struct thread *t)
{
	KASSERT(t->state == THREAD_RUNNABLE);
	ipc_thread_abort(t);
	signal_thread_abort(t);
	waitset_thread_abort(t);
	stream_thread_abort(t);
	ipcbuf_release(t);
	t->state = THREAD_DEAD;
	pd_obj_uncharge(t->pd, PD_OBJ_THREAD, 1);
	uint32_t tid = thread_tid(t);
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (threads[i].state == THREAD_BLOCKED_JOIN &&
		    threads[i].join == tid)
			thread_wake(&threads[i], 0);
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (live(&threads[i]) && threads[i].pd == t->pd)
			return;
	pd_end(t->pd, 0);
}

/* A thread's name as thread.h says: terminated, of '!'..'~' alone. */
static int name_ok(const char *name)
{
	unsigned i = 0;
	while (i < THREAD_NAME_MAX && name[i] > ' ' && name[i] <= '~')
		i++;
	return i < THREAD_NAME_MAX && name[i] == 0;
}

unsigned pd_threads(const struct pd *pd, const struct thread **out,
                    unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (live(&threads[i]) && threads[i].pd == pd) {
			KASSERT(name_ok(threads[i].name));
			if (n < max)
				out[n] = &threads[i];
			n++;
		}
	return n;
}

void thread_set_name(struct thread *t, const char *name, size_t len)
{
	size_t i = 0;
	for (; i < len && i < THREAD_NAME_MAX - 1; i++)
		t->name[i] = name[i] > ' ' && name[i] <= '~' ? name[i] : '?';
	t->name[i] = 0;
}

unsigned thread_slot_index(const struct thread *t)
{
	return (unsigned)(t - threads);
}

uint32_t thread_tid(const struct thread *t)
{
	return (uint32_t)(t - threads) | t->gen << TID_SLOT_BITS;
}

struct thread *thread_of_tid(const struct pd *pd, uint64_t tid)
{
	uint64_t slot = tid & ((1u << TID_SLOT_BITS) - 1);
	if (slot >= THREAD_MAX || tid > UINT32_MAX)
		return 0;
	struct thread *t = &threads[slot];
	return live(t) && t->pd == pd && thread_tid(t) == tid ? t : 0;
}

void thread_wake(struct thread *t, long result)
{
	t->frame.x[REG_A0] = (uint64_t)result;
	t->state = THREAD_RUNNABLE;
	t->deadline = 0;
	sched_note_runnable(t);
}

uint64_t thread_deadline(long ms)
{
	if (ms < 0)
		return 0;
	uint64_t ticks = ((uint64_t)ms * TICK_HZ + 999u) / 1000u;
	return timer_ticks() + ticks + 1;
}

struct thread *thread_timeouts(void)
{
	uint64_t now = timer_ticks();
	struct thread *woken = 0;
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		struct thread *t = &threads[i];
		int timed = t->state == THREAD_BLOCKED_WS ||
		            t->state == THREAD_BLOCKED_SEND ||
		            t->state == THREAD_BLOCKED_REPLY ||
		            t->state == THREAD_BLOCKED_PD ||
		            t->state == THREAD_BLOCKED_STREAM;
		if (!timed || !t->deadline || t->deadline > now)
			continue;
		if (t->state == THREAD_BLOCKED_WS)
			waitset_take_waiter(t->ws);
		ipc_timeout(t); /* BLOCKED_SEND, BLOCKED_REPLY */
		stream_thread_abort(t);
		thread_wake(t, KERR_TIMEOUT);
		woken = t;
	}
	return woken;
}

static int any_deadline(void)
{
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (live(&threads[i]) && threads[i].deadline)
			return 1;
	return 0;
}

/* The index of the one bit set in `bit`: a de Bruijn sequence, as the
 * kernel's -march has no bit-count instructions (Zbb). */
static unsigned bit_index(uint64_t bit)
{
	static const unsigned char index[64] = {
		0,  1,  2,  53, 3,  7,  54, 27, 4,  38, 41, 8,  34, 55, 48, 28,
		62, 5,  39, 46, 44, 42, 22, 9,  24, 35, 59, 56, 49, 18, 29, 11,
		63, 52, 6,  26, 37, 40, 33, 47, 61, 45, 43, 21, 23, 58, 17, 10,
		51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12,
	};
	return index[(bit * 0x022fdd63cc95386dul) >> 58];
}

/* The highest level set in `levels` (not 0). */
static unsigned top_level(uint32_t levels)
{
	levels |= levels >> 1;
	levels |= levels >> 2;
	levels |= levels >> 4;
	levels |= levels >> 8;
	return bit_index(levels ^ (levels >> 1));
}

struct thread *next_runnable(const struct thread *from)
{
	while (sched.levels) {
		unsigned p = top_level(sched.levels);
		uint64_t ready = sched.ready[p];
		/* 2 << 63 is 0: after slot 63 none is after */
		uint64_t after = ready & -(2ul << from->slot);
		uint64_t bit = after ? after & -after : ready & -ready;
		struct thread *t = &threads[bit_index(bit)];
		if (t->state == THREAD_RUNNABLE && t->prio == p)
			return t;
		sched.ready[p] = ready & ~bit; /* stale (thread.c's top) */
		if (!sched.ready[p])
			sched.levels &= ~(1u << p);
	}
	return 0;
}

void thread_set_priority(struct thread *t, unsigned prio)
{
	KASSERT(prio < PRIO_LEVELS);
	t->prio = prio;
	if (t->state == THREAD_RUNNABLE)
		sched_note_runnable(t); /* its old level's bit is stale */
	sched.woken_prio = PRIO_LEVELS; /* the next choice looks at all */
}

void pd_set_priority(struct pd *pd, unsigned prio)
{
	KASSERT(prio < PRIO_LEVELS);
	pd->prio = prio;
	for (unsigned i = 0; i < THREAD_MAX; i++)
		if (live(&threads[i]) && threads[i].pd == pd)
			thread_set_priority(&threads[i], prio);
}

/* Whether the hart idled since `current` last ran (idle()): then
 * `current` runs anew even if it is the thread chosen. Global with a
 * reason: one hart. */
static int idled;

/* Returns to U-mode in `t`, switching address spaces if it needs to, and
 * counts a switch to it (thread.h) when another thread ran last or the
 * hart idled. */
static _Noreturn void run(struct thread *t)
{
	KASSERT(t->state == THREAD_RUNNABLE && t->pd->state == PD_RUNNING &&
	        !(t->frame.sstatus & SSTATUS_SPP));
	if ((csr_read(satp) & ((1ul << 44) - 1)) !=
	    t->pd->space.root >> PAGE_SHIFT)
		vm_activate(&t->pd->space);
	if (t != current || idled)
		t->switches++;
	idled = 0;
	current = t;
	frame_return(&t->frame);
}

/* Waits for an interrupt with nothing to run: wfi wakes on a pending
 * interrupt that sie enables even though the kernel keeps SIE clear,
 * and the kernel takes it here instead of as a trap. */
static _Noreturn void idle(void)
{
	idled = 1;
	for (;;) {
		__asm__ volatile("wfi");
		uint64_t sip = csr_read(sip);
		struct thread *woken = 0;
		if (sip & SIP_SEIP)
			woken = irq_handle();
		if (sip & SIP_STIP) {
			timer_tick();
			struct thread *late = thread_timeouts();
			woken = woken ? woken : late;
		}
		if (woken)
			sched_run(0, woken);
	}
}

/* Whether the ready queues hold what the table says (the invariants at
 * the top) and no runnable thread is above `limit`: a pass over the
 * table, made on each tick. */
static int ready_consistent(int limit)
{
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		const struct thread *t = &threads[i];
		if (t->state == THREAD_RUNNABLE &&
		    ((int)t->prio > limit || t->slot != i ||
		     !(sched.ready[t->prio] & 1ul << i)))
			return 0;
	}
	for (unsigned p = 0; p < PRIO_LEVELS; p++)
		if (!sched.ready[p] != !(sched.levels & 1u << p))
			return 0;
	return sched.levels >> PRIO_LEVELS == 0;
}

_Noreturn void sched_switch(struct thread *to)
{
	/* What sched_run(0, to) decides first, without what cannot have
	 * changed: no domain ended (the root's end stopped the machine at
	 * the last sched_run). */
	int woken = sched.woken_prio;
	if (to->prio >= current->prio && (int)to->prio >= woken) {
		sched.woken_prio = -1;
		run(to);
	}
	sched_run(0, to);
}

_Noreturn void sched_run(int rotate, struct thread *prefer)
{
	KASSERT(current);
	if (root->state == PD_ENDED)
		finish(root->status);
	/* Without a pass when the invariant of thread.h decides: `current`
	 * had the highest priority among the runnable threads. */
	int woken = sched.woken_prio;
	sched.woken_prio = -1;
	int cur = (int)current->prio;
	if (prefer && prefer->state == THREAD_RUNNABLE &&
	    (int)prefer->prio >= cur && (int)prefer->prio >= woken)
		run(prefer);
	if (!rotate && current->state == THREAD_RUNNABLE && cur >= woken)
		run(current);
	KASSERT(!rotate ||
	        ready_consistent(woken > cur ? woken : cur)); /* per tick */
	struct thread *t = next_runnable(current);
	if (t && !rotate && current->state == THREAD_RUNNABLE &&
	    current->prio >= t->prio)
		t = current;
	if (t && prefer && prefer->state == THREAD_RUNNABLE &&
	    prefer->prio >= t->prio)
		t = prefer;
	if (t)
		run(t);
	/* Only an interrupt or a timeout can wake a thread now: with no
	 * interrupt bound and no deadline, every thread is blocked for good. */
	if (!irq_any_bound() && !any_deadline()) {
		kprintf("kernel: every thread is blocked for good\n");
		finish(FINISH_DEADLOCK);
	}
	idle();
}
