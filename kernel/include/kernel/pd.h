/*
 * Protection domains: the privileged part of the kernel interface. Only core
 * links the library behind this header (kernel_pd); every other component
 * has kernel.h alone and so has no way to create a domain, which is how the
 * rule "core is the only component that uses privileged kernel operations"
 * is kept: by the linker, not by convention.
 *
 * A protection domain runs one program image, taken from a memory object
 * (the ELF ROM dataspace; no file-system path is involved). It starts with
 * nothing but the capabilities given to it here, which it finds with
 * kboot_cap(0..n-1), and it is confined so that those capabilities are its
 * only authority: it cannot open files, sockets or processes, cannot signal
 * or trace other processes, and cannot use more private memory than its RAM
 * limit, nor (where the platform can bound it, kpd_memory_bound()) more
 * memory of any kind than that limit plus a margin. The confinement is applied before the image runs and cannot be
 * lifted by it.
 */
#ifndef KERNEL_PD_H
#define KERNEL_PD_H

#include <kernel/kernel.h>

typedef struct kpd kpd_t;

struct kpd_config {
	const char *name;   /* for diagnostics; becomes the process name */
	kcap_t elf;         /* memory object with the ELF image */
	const kcap_t *caps; /* initial capabilities, kboot_cap(0..) */
	unsigned cap_count; /* at most KPD_MAX_BOOT_CAPS */
	size_t ram_limit;   /* bytes of private memory it may use */
	kcap_t exit_signal; /* submitted once when the domain ends, or
	                             KCAP_INVALID */
	/* Byte streams (on linux, pipe write ends) that become the domain's
	 * standard output and error; the domain gets copies. NULL: output
	 * goes nowhere, errors to the creator's own stderr. */
	const kcap_t *stdout_stream, *stderr_stream;
};

#define KPD_MAX_BOOT_CAPS 8u

/* Starts a protection domain. Fails with KERR_INVALID for a memory object
 * that is no executable image, KERR_DENIED where the platform cannot
 * confine it (the domain is then not started at all). */
int kpd_create(kpd_t **pd, const struct kpd_config *config);

/* Ends the domain at once (it gets no say). Idempotent. */
void kpd_kill(kpd_t *pd);

enum kpd_state { KPD_RUNNING, KPD_EXITED, KPD_KILLED };

/* Whether the domain still runs; for an ended one also its exit code (for
 * KPD_EXITED) or the number of the fault that ended it (KPD_KILLED). */
enum kpd_state kpd_state(kpd_t *pd, int *code);

/* Blocks until the domain has ended or timeout_ms passed (< 0: for ever);
 * KERR_TIMEOUT if it still runs. */
int kpd_wait(kpd_t *pd, int timeout_ms);

/* Sets the domain's limit of private memory (its RAM quota moved). A
 * lower limit than what it uses now leaves existing memory alone and
 * refuses new allocations. KERR_DENIED where the platform refuses. */
int kpd_set_ram_limit(kpd_t *pd, size_t ram_limit);

/* How a domain's memory is bounded beyond its private memory on this
 * machine (shared memory, socket buffers, kernel memory, threads), in
 * words for a person: the mechanism, or why there is none. On linux a
 * memory cgroup per domain limited to its RAM limit plus 16 MiB, and at
 * most 256 threads (kernel/linux/memcg.c). */
const char *kpd_memory_bound(void);

/* Whether an ended domain was killed for exceeding that bound. */
int kpd_out_of_memory(kpd_t *pd);

/* Whether the thread with the native id (kthread_native_id() inside the
 * domain) belongs to the domain: 0, or KERR_INVALID. */
int kpd_thread_check(kpd_t *pd, uint32_t native_id);

/* Pins a thread of the domain to one CPU, or sets its scheduling priority
 * (-20 highest .. 19 lowest, as the platform counts). KERR_INVALID for a
 * thread that is not the domain's or a CPU that does not exist,
 * KERR_DENIED where the platform refuses the change. */
int kpd_thread_affinity(kpd_t *pd, uint32_t native_id, unsigned cpu);
int kpd_thread_priority(kpd_t *pd, uint32_t native_id, int priority);

/* Kills the domain if it still runs, waits for it and frees everything. */
void kpd_destroy(kpd_t *pd);

#endif /* KERNEL_PD_H */
