/*
 * Start, stop and lookup of all of core's services (services.h): the
 * shared seven first (PD, ROM, RM, CPU, LOG, IRQ, IO_MEM), then the
 * platform's.
 */
#include "services.h"

#include <string.h>

/* The services in start order; dissolved in reverse. `ready` counts how
 * many started. */
enum {
	SHARED_COUNT = 7,
	SERVICE_COUNT = SHARED_COUNT + CORE_PLATFORM_SERVICE_COUNT
};

static struct root_component *service_at(struct core_services *s, int i)
{
	struct root_component *shared[SHARED_COUNT] = {
		&s->pd.base,  &s->rom.base, &s->rm.base,     &s->cpu.base,
		&s->log.base, &s->irq.base, &s->io_mem.base,
	};
	return i < SHARED_COUNT ? shared[i]
	                        : core_platform_service(s, i - SHARED_COUNT);
}

static int start_one(struct core_services *s, int i, entrypoint_t *ep,
                     struct target *target)
{
	switch (i) {
	case 0:
		return pd_service_init(&s->pd, ep, target);
	case 1:
		return rom_service_init(&s->rom, ep, target);
	case 2:
		return rm_service_init(&s->rm, ep);
	case 3:
		return cpu_service_init(&s->cpu, ep, &s->pd);
	case 4:
		return log_service_init(&s->log, ep, target);
	case 5:
		return irq_service_init(&s->irq, ep);
	case 6:
		return io_mem_service_init(&s->io_mem, ep);
	default:
		return core_platform_service_start(s, i - SHARED_COUNT, ep,
		                                   target);
	}
}

static void stop_one(struct core_services *s, int i)
{
	switch (i) {
	case 0:
		pd_service_dissolve(&s->pd);
		break;
	case 1:
		rom_service_dissolve(&s->rom);
		break;
	case 2:
		rm_service_dissolve(&s->rm);
		break;
	case 3:
		cpu_service_dissolve(&s->cpu);
		break;
	case 4:
		log_service_dissolve(&s->log);
		break;
	case 5:
		irq_service_dissolve(&s->irq);
		break;
	case 6:
		io_mem_service_dissolve(&s->io_mem);
		break;
	default:
		core_platform_service_stop(s, i - SHARED_COUNT);
		break;
	}
}

int core_services_init(struct core_services *s, entrypoint_t *ep,
                       struct target *target)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < SERVICE_COUNT; i++) {
		int rc = start_one(s, i, ep, target);
		if (rc != 0) {
			core_services_dissolve(s);
			return rc;
		}
		s->ready = i + 1;
	}
	return 0;
}

void core_services_dissolve(struct core_services *s)
{
	/* CPU sessions refer to PD sessions: stop users before providers */
	for (int i = s->ready - 1; i >= 0; i--)
		stop_one(s, i);
	s->ready = 0;
}

struct root_component *core_services_find(struct core_services *s,
                                          const char *name)
{
	for (int i = 0; i < s->ready; i++)
		if (strcmp(root_component_name(service_at(s, i)), name) == 0)
			return service_at(s, i);
	return NULL;
}
