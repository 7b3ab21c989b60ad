/*
 * The seam between core's shared part and the linux platform (core/
 * README.md, "One core, two platforms"). The shared services (PD, ROM,
 * RM, CPU, LOG) and the parent logic include this header, never a
 * platform's own; each platform has its own copy in core/<platform>/,
 * chosen by the include path. On linux core is a process on a target
 * directory: ROMs are files of boot/, config/ and depot/, lines go to the
 * terminal and log/ (target.h), and core serves Report and Net beside the
 * device services, which it denies.
 */
#ifndef CORE_PLATFORM_H
#define CORE_PLATFORM_H

#include "net_service.h"
#include "report_service.h"
#include "target.h"

#include <kernel/pd.h>

/* The kernel bounds each domain's private memory (kpd_set_ram_limit),
 * kept equal to its pool's RAM quota. */
#define CORE_KERNEL_RAM_LIMIT 1
/* What core's start-up line says the platform's bound beside
 * RLIMIT_DATA (kpd_memory_bound) covers: the PD service names it. */
#define CORE_MEMORY_BOUND_OF "memory of domains beyond RLIMIT_DATA"

/* The services of this platform after the seven shared ones, in start
 * order (services.c): Report, Net, IO_PORT. (IRQ and IO_MEM are shared:
 * kernel/device.h denies every device here, so they refuse with its
 * reason.) */
#define CORE_PLATFORM_SERVICE_COUNT 3
#define CORE_PLATFORM_SERVICES \
	struct report_service report; \
	struct net_service    net; \
	struct root_component io_port;

/* How many CPUs threads may be pinned to (the CPU service). */
unsigned core_platform_cpus(void);

/* A domain's life, for the host: nothing to tell on linux, where each
 * domain is a process of its own (riscv: core/riscv/domain_life.c). */
static inline uint64_t core_platform_domain_created(const char *label,
                                                    kpd_t *domain)
{
	(void)label;
	(void)domain;
	return 0;
}

static inline void core_platform_domain_ended(uint64_t id)
{
	(void)id;
}

#endif
