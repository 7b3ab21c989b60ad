/*
 * The riscv platform's part of core's service table (services.h):
 * Report (its reports go to the host: report_frames.c), IO_PORT, refused (riscv has no port I/O; IRQ and IO_MEM are shared,
 * over kernel/device.h), Entropy (entropy_service.h), Net (net_service.h).
 */
#include "services.h"

#include "device_service.h"

struct root_component *core_platform_service(struct core_services *s, int i)
{
	struct root_component *all[CORE_PLATFORM_SERVICE_COUNT] = {
		&s->report.base,
		&s->io_port,
		&s->entropy.base,
		&s->net.base,
	};
	return all[i];
}

int core_platform_service_start(struct core_services *s, int i,
                                entrypoint_t *ep, struct target *target)
{
	if (i == 0)
		return report_service_init(&s->report, ep, target);
	if (i == 2)
		return entropy_service_init(&s->entropy, ep, target);
	if (i == 3)
		return net_service_init(&s->net, ep, target);
	return device_service_init(core_platform_service(s, i), ep, "IO_PORT");
}

void core_platform_service_stop(struct core_services *s, int i)
{
	if (i == 0)
		report_service_dissolve(&s->report);
	else if (i == 2)
		entropy_service_dissolve(&s->entropy);
	else if (i == 3)
		net_service_dissolve(&s->net);
	else
		root_component_dissolve(core_platform_service(s, i));
}

unsigned core_platform_cpus(void)
{
	return 1; /* the kernel runs one hart (kernel/riscv/README.md) */
}
