/*
 * Protection domains and their threads, and the scheduler that runs them.
 * A domain (struct pd) is an address space and a name; a thread is a trap
 * frame, a state and the domain it runs in. The scheduler is round robin
 * over runnable threads, preempted by the timer tick.
 *
 * Invariants:
 *   - `current` is the thread whose frame sscratch points to while U-mode
 *     runs; the kernel runs on its one stack for any thread;
 *   - a thread is RUNNABLE only while its domain is RUNNING;
 *   - when a domain ends, all its threads are DEAD and its address space
 *     is destroyed before another thread runs;
 *   - the first domain created is the root; when it ends, the machine
 *     stops with its status (finisher.h): nothing outlives core.
 */
#ifndef RISCV_THREAD_H
#define RISCV_THREAD_H

#include <stdint.h>

#include "frame.h"
#include "vm.h"

#define PD_MAX      8u
#define THREAD_MAX  16u

enum pd_state { PD_FREE, PD_RUNNING, PD_ENDED };
enum thread_state { THREAD_FREE, THREAD_RUNNABLE, THREAD_DEAD };

struct pd {
	enum pd_state state;
	const char *name;
	struct vm_space space;
	uint32_t status;    /* how it ended: finisher.h's numbering */
};

struct thread {
	struct frame frame;
	enum thread_state state;
	struct pd *pd;
};

/* Creates a domain running the ELF `image` with one thread at its entry.
 * KERR_INVALID (with *why) for a bad image, KERR_NOMEM without frames or
 * table slots; nothing is left behind on failure. */
int pd_create(const char *name, const uint8_t *image, size_t size,
              const char **why);

/* Ends the domain of `t` with `status` and frees its memory. */
void pd_end(struct pd *pd, uint32_t status);

struct thread *thread_current(void);

/* Leaves the kernel: returns to the next runnable thread (the current one
 * again unless `rotate`), or stops the machine when the root has ended. */
_Noreturn void sched_run(int rotate);

#endif /* RISCV_THREAD_H */
