/*
 * All services of core together, as core's parent object and main see
 * them: the five every platform has (PD, ROM, RM, CPU, LOG) and the
 * platform's own (core_platform.h: Report, Net and the denied device
 * services on linux; the device services on riscv), served on one
 * entrypoint, found by name.
 */
#ifndef CORE_SERVICES_H
#define CORE_SERVICES_H

#include "core_platform.h"
#include "cpu_service.h"
#include "io_mem_service.h"
#include "irq_service.h"
#include "log_service.h"
#include "pd_service.h"
#include "rm_service.h"
#include "rom_service.h"

struct core_services {
	struct pd_service pd;
	struct rom_service rom;
	struct rm_service rm;
	struct cpu_service cpu;
	struct log_service log;
	struct irq_service irq;       /* over kernel/device.h: the platform */
	struct io_mem_service io_mem; /* says which devices exist, if any */
	CORE_PLATFORM_SERVICES
	int ready; /* how many of them are up */
};

/* Starts every service on `ep`. 0 or a KERR_* (then none is left up). */
int core_services_init(struct core_services *s, entrypoint_t *ep,
                       struct target *target);

/* Closes every session and stops every service. Run it on the
 * entrypoint, or while nothing else uses the services. */
void core_services_dissolve(struct core_services *s);

/* The service called `name` ("PD", "LOG", ...), or NULL. */
struct root_component *core_services_find(struct core_services *s,
                                          const char *name);

/* The platform's services, numbered 0..CORE_PLATFORM_SERVICE_COUNT-1 in
 * start order (core/<platform>/platform.c): the service, its start (0 or
 * a KERR_*) and its stop. */
struct root_component *core_platform_service(struct core_services *s, int i);
int core_platform_service_start(struct core_services *s, int i,
                                entrypoint_t *ep, struct target *target);
void core_platform_service_stop(struct core_services *s, int i);

#endif
