/*
 * The seam between core's shared part and the riscv platform (core/
 * README.md, "One core, two platforms"): core is boot module 0 of the
 * riscv kernel's boot image (kernel/riscv/bootimage.h), the root domain.
 * There is no file system: the ROMs are the other boot modules, served as
 * the kernel's memory objects of them (SYS_BOOTMOD_MEM, found by name
 * with SYS_BOOTMOD_INFO), never copied; log lines go to the console
 * (which labels everything core prints "[core]"). Here live the same
 * names the linux glue has in core/target.h, so the shared services read
 * alike on both.
 */
#ifndef CORE_PLATFORM_H
#define CORE_PLATFORM_H

#include "entropy_service.h"
#include "net_service.h"
#include "report_service.h"

#include <runtime/root_component.h>

#include <kernel/kernel.h>
#include <kernel/pd.h>

#include <stddef.h>
#include <stdint.h>

/* The kernel bounds what it charges a domain (its image, stack, IPC
 * buffers and the memory objects it creates: kernel/riscv/README.md,
 * "Quotas") by a limit core keeps equal to the pool's RAM quota
 * (kpd_set_ram_limit), as linux's RLIMIT_DATA; the dataspaces core makes
 * for it are charged to core and counted against the quota by the PD
 * service. The image counts too, and picolibc's malloc heap grows from
 * the same limit (kernel/riscv/lib/sbrk.c). */
#define CORE_KERNEL_RAM_LIMIT 1
/* What core's start-up line says the kernel's bound (kpd_memory_bound)
 * leaves to it: the PD service names it. */
#define CORE_MEMORY_BOUND_OF "memory of domains"

/* The services of this platform after the seven shared ones (IRQ and
 * IO_MEM among them, over kernel/device.h): Report, whose reports go to
 * the host (report_frames.c), IO_PORT, which denies (riscv has no
 * port I/O), Entropy (entropy_service.h: getentropy() of the
 * components) and Net (net_service.h: streams over the net ports). */
#define CORE_PLATFORM_SERVICE_COUNT 4
#define CORE_PLATFORM_SERVICES \
	struct report_service report; \
	struct root_component io_port; \
	struct entropy_service entropy; \
	struct net_service net;

#define TARGET_NAME_MAX 64
#define TARGET_MODULE_LIMIT_DEFAULT ((uint64_t)8 << 20)

/* The boot image as core's ROMs and the console as its log. */
struct target {
	char dir[16];          /* "boot image", for messages */
	uint64_t module_limit; /* never reached: modules are not copied */
};

/* Only found/size are used here; the rest keeps the linux shape that the
 * ROM service compares (boot modules never change). */
struct module_stamp {
	int found;
	uint64_t dev, ino, size;
	int64_t mtime_ns;
};

enum target_where {
	TARGET_IN_CONFIG_OR_BOOT,
	TARGET_IN_BOOT,
};

/* Finds the boot modules (core_platform.c); 0 or a KERR_*. */
int target_open_boot(struct target *t);

int target_module_name_ok(const char *name);
void target_module_stamp(const struct target *t, enum target_where where,
                         const char *name, struct module_stamp *stamp);
/* The boot module `name` as a sealed memory object of the kernel's (both
 * `where` are the boot image). 0, KERR_INVALID for no such module,
 * KERR_NOMEM. */
int target_read_module(const struct target *t, enum target_where where,
                       const char *name, kcap_t *mem, size_t *size,
                       struct module_stamp *stamp);

/* "[label] line" on the console, control characters shown as '?'. */
void target_log(struct target *t, const char *label, const char *line);
/* Core's own lines (the console labels them "[core]"). */
void target_logf(struct target *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* How many CPUs threads may be pinned to (the CPU service). */
unsigned core_platform_cpus(void);

/* A domain of `label` was created: the host is told (a frame,
 * domain_life.c) with an ID never used again while the machine runs,
 * which this returns, and its output is read from then on
 * (domain_output_ring.h); core_platform_domain_ended(ID) takes its last
 * output and tells its end (0: nothing to tell), before its kernel slot
 * is released. */
uint64_t core_platform_domain_created(const char *label, kpd_t *domain);
void core_platform_domain_ended(uint64_t id);

#endif
