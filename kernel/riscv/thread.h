/*
 * Protection domains and their threads, and the scheduler that runs them.
 * A domain (struct pd) is an address space and a name; a thread is a trap
 * frame, a state and the domain it runs in. The scheduler runs a thread
 * of the highest priority that has a runnable one (PRIO_LEVELS, abi.h),
 * round robin within that level, preempted by the timer tick. A new
 * thread gets its domain's priority; the root sets both (SYS_PRIORITY).
 *
 * Invariants:
 *   - `current` is the thread whose frame sscratch points to while U-mode
 *     runs; the kernel runs on its one stack for any thread;
 *   - a thread is RUNNABLE only while its domain is RUNNING;
 *   - when a domain ends, all its threads are DEAD and its address space
 *     is destroyed before another thread runs;
 *   - the thread running in U-mode (`current`) has the highest priority
 *     of the runnable threads (sched_run chooses so on every return, and
 *     asserts on each tick that no runnable thread is above it or the
 *     ones noted as made runnable since);
 *   - priorities are below PRIO_LEVELS;
 *   - a thread's switch count grows by one each time the scheduler runs
 *     it after another thread ran or the hart idled, never otherwise
 *     (thread.c's run()); its name is NUL-terminated, of '!'..'~' alone;
 *   - the first domain created is the root; when it ends, the machine
 *     stops with its status (finisher.h): nothing outlives core.
 */
#ifndef RISCV_THREAD_H
#define RISCV_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "cap.h"
#include "elf.h"
#include "frame.h"
#include "outring.h"
#include "panic.h"
#include "vm.h"

#define PD_MAX      16u /* at most 256: a domain id keeps the slot in 8 bits */
#define THREAD_MAX  64u /* at most 64: a ready queue is one word */
#define PD_NAME_MAX 32u   /* with its NUL; a longer boot module name is cut */
/* What a new domain other than the root may hold of each kind of kernel
 * object until the root sets another bound (SYS_PD_OBJ_LIMIT): a quarter
 * of the machine's pool of that kind (THREAD_MAX, ipc.c's EP_MAX,
 * signal.c's SIGNAL_MAX, WAITSET_MAX, MEM_MAX; asserted beside each), so
 * that one domain flooding a kind leaves three quarters to the others
 * (tests/scenarios/05-confinement.scenario). Without it the first domain
 * to flood took the whole pool: core had no thread for a session worker,
 * no endpoint for a session, no memory object for a dataspace. */
#define PD_OBJ_SHARE_DIVISOR 4u
#define PD_OBJ_SHARE_ENDPOINTS 64u
#define PD_OBJ_SHARE_SIGNALS   64u
#define IPCBUF_PAGES 4u             /* a registered IPC buffer (ipcbuf.h) */

enum pd_state { PD_FREE, PD_RUNNING, PD_ENDED };
enum thread_state {
	THREAD_FREE,
	THREAD_RUNNABLE,
	THREAD_BLOCKED_SEND,
	THREAD_BLOCKED_RECV,
	THREAD_BLOCKED_REPLY,
	THREAD_BLOCKED_SIGNAL,
	THREAD_BLOCKED_WS,
	THREAD_BLOCKED_PARK,
	THREAD_BLOCKED_JOIN,
	THREAD_BLOCKED_PD,
	THREAD_BLOCKED_STREAM,
	THREAD_DEAD,
};

struct pd {
	enum pd_state state;
	char name[PD_NAME_MAX]; /* printable ASCII (pd_create) */
	struct vm_space space;
	struct cspace cspace;
	uint32_t status; /* how it ended: finisher.h's numbering */
	/* Domains made by SYS_PD_CREATE_IMAGE (pd.h's kpd_create): the slot
	 * is held for its creator until SYS_PD_RELEASE, its generation is part
	 * of the id, and the exit signal is submitted once when it ends. */
	uint32_t gen;
	int held, killed;
	struct signal *exit_signal;
	unsigned prio; /* its new threads' priority */
	/* SYS_NO_NEW_CODE: set once, never cleared while the domain lives
	 * (pd_create makes the slot anew); sys_mem.c and sys_pd.c keep what
	 * it promises. */
	int no_new_code;
	/* RAM quota in frames (README.md "Quotas"): what is charged to it
	 * (its image, stack and their tables at creation, memory objects it
	 * created, its threads' IPC buffers) and the limit beyond which a
	 * decode step refuses more; SIZE_MAX: none. A limit lowered below the
	 * charge leaves what is there and refuses what is new. At its end the
	 * charge is 0 again (asserted in pd_end). */
	size_t ram_limit, ram_used, image_frames;
	/* Kernel objects charged to it per kind (abi.h's PD_OBJ_*): counted
	 * on creation, returned when the object is destroyed or the domain
	 * ends; a decode step refuses (KERR_LIMIT) one over obj_limit
	 * (UINT32_MAX: none, the root's; every other domain starts with
	 * PD_OBJ_SHARE of each kind). Its threads, and the endpoints, signals,
	 * waitsets and RAM memory objects it owns, each count once; a charge
	 * never passes the bound the decode step checked (asserted in
	 * pd_obj_charge); at its end every count is 0 again (asserted in
	 * pd_end). */
	uint32_t obj_used[PD_OBJ_KINDS], obj_limit[PD_OBJ_KINDS];
	/* Its stdout and stderr once the root reads them (SYS_PRINT,
	 * SYS_OUTPUT_READ): empty at creation, kept until SYS_PD_RELEASE so
	 * that the root takes an ended domain's last words. */
	struct outring out[2];
};

/* Whether one more object of `kind` fits under `pd`'s bound. */
static inline int pd_obj_room(const struct pd *pd, unsigned kind)
{
	return pd->obj_used[kind] < pd->obj_limit[kind];
}

/* Charged in an invoke step whose decode step found room (pd_obj_room),
 * nothing changed between: the bound holds. */
static inline void pd_obj_charge(struct pd *pd, unsigned kind)
{
	KASSERT(pd_obj_room(pd, kind));
	pd->obj_used[kind]++;
}

void pd_obj_uncharge(struct pd *pd, unsigned kind, uint32_t count);

/* Every capability that names `from`, in a domain's slot or in flight in
 * a thread's message, names `to` from then on (a dissolved endpoint's
 * tombstone, ipc.h); stops once `count` were found, and returns how
 * many. */
unsigned caps_retarget(const void *from, void *to, unsigned count);

/* Whether `frames` more fit under `pd`'s limit: the decode steps' check. */
static inline int pd_ram_room(const struct pd *pd, size_t frames)
{
	return pd->ram_used <= pd->ram_limit &&
	       pd->ram_limit - pd->ram_used >= frames;
}

static inline void pd_charge(struct pd *pd, size_t frames)
{
	pd->ram_used += frames;
}

void pd_uncharge(struct pd *pd, size_t frames);

struct thread {
	struct frame frame;
	enum thread_state state;
	struct pd *pd;
	/* IPC (ipc.h): the endpoint blocked on, the queue link, the caller
	 * owed a reply, the server that owes one, a capability in flight. */
	struct endpoint *ep;
	struct thread *next;
	struct thread *reply_to, *server;
	struct cap xfer[KMSG_MAX_CAPS];
	unsigned nxfer;
	/* Messages in the kmsg_t form (abi.h): whether the call in flight or
	 * the receive is in that form, the request to send and where the
	 * next message for this thread goes, both in its own space and
	 * checked by the system call's decode step. */
	int long_form;
	uintptr_t msg_out, msg_in;
	uint32_t msg_size;         /* of the request at msg_out, as decoded */
	struct signal *signal;     /* waited on (signal.h) */
	struct waitset *ws;        /* waited on (waitset.h) */
	struct stream_end *stream; /* read or written, blocked (stream.h) */
	uint32_t gen;              /* the slot's generation, part of the tid */
	uint32_t ticket;           /* park ticket (SYS_PARK) */
	int canceled;              /* the next park or waitset wait fails */
	uint32_t join;             /* the tid waited for in BLOCKED_JOIN, the
	                            domain id in BLOCKED_PD */
	uint64_t deadline;         /* tick at which a blocking call (SYS_MCALL,
	                            SYS_WS_WAIT, SYS_STREAM_READ and _WRITE)
	                            times out; 0: none; cleared
	                            whenever the thread wakes */
	uintptr_t ipcbuf[IPCBUF_PAGES]; /* its registered IPC buffer's
	                                     frames, or 0 (ipcbuf.h) */
	uintptr_t ipcbuf_base;          /* and its user address, or 0 */
	unsigned prio;     /* below PRIO_LEVELS, higher runs first */
	unsigned slot;     /* its index in the thread table (thread_start) */
	uint64_t switches; /* SYS_PD_THREADS, above */
	char name[THREAD_NAME_MAX]; /* SYS_THREAD_NAME; empty at its start */
};

/* The ready queues (thread.c): sched.ready[p] has bit i set for every
 * thread slot i RUNNABLE at priority p, and maybe for some that no longer
 * are (left to next_runnable to drop, so that blocking costs nothing);
 * sched.levels bit p is set exactly when sched.ready[p] is not empty.
 * Global with a reason: they make the scheduler's choice independent of
 * THREAD_MAX. Every change of a thread to RUNNABLE, and of a runnable
 * thread's priority, calls sched_note_runnable(). */
struct sched_queues {
	uint64_t ready[PRIO_LEVELS];
	uint32_t levels;
	int woken_prio; /* below (sched_note_runnable) */
};
extern struct sched_queues sched; /* one base address for all three */

/* The slot of `t` in the thread table (its IPC buffer's place). */
unsigned thread_slot_index(const struct thread *t);

/* The tid of `t` (abi.h) and the live thread of `pd` a tid names, or 0. */
uint32_t thread_tid(const struct thread *t);
struct thread *thread_of_tid(const struct pd *pd, uint64_t tid);

/* The next runnable thread after `from` in table order among those of
 * the highest priority any runnable thread has, `from` itself last; 0 if
 * none is runnable. Two bit scans of the ready queues: the same cost for
 * any THREAD_MAX (README.md). */
struct thread *next_runnable(const struct thread *from);

/* The deadline of a timeout of `ms` milliseconds (< 0: none, 0) from
 * now: ticks rounded up, and one more, as the current tick has begun. */
uint64_t thread_deadline(long ms);

/* Fails every blocked call whose deadline has come with KERR_TIMEOUT;
 * returns one thread it woke, or 0. Run on each tick. */
struct thread *thread_timeouts(void);

/* Wakes `t` from a blocking call with a0 = `result`. */
void thread_wake(struct thread *t, long result);

/* Creates a domain running the ELF `image` with one thread at its entry,
 * and the `ncaps` capabilities `caps` in its selectors 0.. (kboot_cap(),
 * their count in a0 at the entry). KERR_INVALID (with *why) for a bad
 * image, KERR_NOMEM without frames or table slots; nothing is left behind
 * on failure. *out (if not 0) is the new domain. Its name is `name`'s
 * first PD_NAME_MAX - 1 bytes, each outside printable ASCII shown as '?'. */
int pd_create(const char *name, const struct elf_image *image,
              const struct cap *const *caps, unsigned ncaps, struct pd **out,
              const char **why);

/* pd.h's domains by id: slot and generation (like tids, abi.h). The
 * domain `id` names if it is held (created by SYS_PD_CREATE_IMAGE and
 * not released), else 0. */
uint32_t pd_id(const struct pd *pd);
struct pd *pd_of_id(uint64_t id);
/* Ends it at once as killed (status 137, as a killed Unix process). */
void pd_kill(struct pd *pd);
/* Gives the slot of an ended domain back. */
void pd_release(struct pd *pd);

/* Whether `pd` is the root, the one domain with the privilege to create
 * domains (core's, on the linux platform: kernel/pd.h). */
int pd_is_root(const struct pd *pd);

/* The slot of `pd` in the domain table, for tables kept per domain. */
unsigned pd_index(const struct pd *pd);
/* The domain in slot `index` (< PD_MAX): the way back from such tables. */
struct pd *pd_at_index(unsigned index);

/* Ends the domain of `t` with `status` and frees its memory. */
void pd_end(struct pd *pd, uint32_t status);

struct thread *thread_current(void);

/* Whether a thread slot is free: thread_create()'s decode step. */
int thread_available(void);

/* A new runnable thread of `pd` at `entry` with sp and a0 as given; the
 * caller has checked thread_available() and the addresses. */
void thread_create(struct pd *pd, uintptr_t entry, uintptr_t sp, uint64_t arg);

/* sched.woken_prio: the highest priority of a thread made runnable
 * since the scheduler last chose, or -1. It is what lets sched_run()
 * keep the current thread or switch to an IPC partner without choosing
 * (the current thread had the highest priority of the runnable ones;
 * only those made runnable since can beat it). Every change of a thread
 * to RUNNABLE notes it here, which also puts it in its ready queue.
 * Always inlined: it is on every IPC fast path (README.md's figures). */
__attribute__((always_inline)) static inline void sched_note_runnable(
	const struct thread *t)
{
	sched.ready[t->prio] |= 1ul << t->slot;
	sched.levels |= 1u << t->prio;
	if ((int)t->prio > sched.woken_prio)
		sched.woken_prio = (int)t->prio;
}

/* Sets the priority of one thread, or of a domain (its threads and
 * those it makes later); the caller checked `prio` < PRIO_LEVELS. */
void thread_set_priority(struct thread *t, unsigned prio);
void pd_set_priority(struct pd *pd, unsigned prio);

/* The live threads of `pd` in table order: up to `max` into out[], and
 * how many there are. */
unsigned pd_threads(const struct pd *pd, const struct thread **out,
                    unsigned max);

/* Names `t`: the first THREAD_NAME_MAX - 1 bytes of name[0..len), each
 * outside '!'..'~' as '?'. */
void thread_set_name(struct thread *t, const char *name, size_t len);

/* Ends `t`; when it was the last thread of its domain, the domain ends
 * with status 0. */
void thread_exit(struct thread *t);

/* Leaves the kernel: returns to `prefer` if it is runnable and of the
 * highest priority runnable (a direct switch to the partner of an IPC),
 * else to the current thread if it is and not `rotate`, else to the next
 * runnable thread of the highest priority (next_runnable). Stops the machine when the root has
 * ended, or when no thread can ever run again. */
_Noreturn void sched_run(int rotate, struct thread *prefer);

/* Leaves the kernel after an IPC fast path (ipc.h), which ends no domain
 * and makes `to` runnable: to `to` if its priority is at least the
 * current thread's and every other one made runnable since the last
 * choice, else as sched_run(0, to). */
_Noreturn void sched_switch(struct thread *to);

#endif /* RISCV_THREAD_H */
