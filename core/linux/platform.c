/*
 * The linux platform's part of core's service table (services.h): Report
 * (reports as files), Net (sockets by policy) and IO_PORT, denied here.
 */
#include "services.h"

#include "device_service.h"

#include <unistd.h>

struct root_component *core_platform_service(struct core_services *s, int i)
{
	struct root_component *all[CORE_PLATFORM_SERVICE_COUNT] = {
		&s->report.base,
		&s->net.base,
		&s->io_port,
	};
	return all[i];
}

int core_platform_service_start(struct core_services *s, int i,
                                entrypoint_t *ep, struct target *target)
{
	switch (i) {
	case 0:
		return report_service_init(&s->report, ep, target);
	case 1:
		return net_service_init(&s->net, ep, target);
	default:
		return device_service_init(&s->io_port, ep, "IO_PORT");
	}
}

void core_platform_service_stop(struct core_services *s, int i)
{
	switch (i) {
	case 0:
		report_service_dissolve(&s->report);
		break;
	case 1:
		net_service_dissolve(&s->net);
		break;
	default:
		root_component_dissolve(core_platform_service(s, i));
		break;
	}
}

unsigned core_platform_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	return n > 0 ? (unsigned)n : 1;
}
