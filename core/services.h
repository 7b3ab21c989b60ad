/*
 * All services of core together, as core's parent object and main see
 * them: PD, ROM, RM, CPU, LOG, Report, Net and the device services IRQ, IO_MEM and
 * IO_PORT, served on one entrypoint, found by name.
 */
#ifndef CORE_SERVICES_H
#define CORE_SERVICES_H

#include "cpu_service.h"
#include "io_mem_service.h"
#include "irq_service.h"
#include "log_service.h"
#include "net_service.h"
#include "pd_service.h"
#include "report_service.h"
#include "rm_service.h"
#include "rom_service.h"
#include "target.h"

struct core_services {
	struct pd_service   pd;
	struct rom_service  rom;
	struct rm_service   rm;
	struct cpu_service  cpu;
	struct log_service  log;
	struct report_service report;
	struct net_service  net;
	struct irq_service  irq;
	struct io_mem_service io_mem;
	struct root_component io_port;
	int                 ready;   /* how many of the above are up */
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

#endif
