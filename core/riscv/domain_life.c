/*
 * The domains' life for the host (core_platform.h,
 * core_platform_domain_created/_ended): a frame "domain ID" with the
 * session label when core created a domain, "ended ID" when it ended
 * (kernel/riscv/hostframe.h); between the two, its output goes to the
 * host as frames "log ID" (domain_output_ring.h). The host tool keeps
 * the list of live
 * domains, so a test on the host tells a restarted child (a new ID) from
 * the same one, as the pid of a process tells it on linux.
 */
#include "core_platform.h"

#include "domain_output_ring.h"
#include "host_frames.h"

#include <runtime/str.h>

#include <string.h>

/* The last ID given: IDs are never used again while the machine runs.
 * Global with a reason: one sequence per machine, and only core's
 * entrypoint (the PD service) touches it. */
static uint64_t last_id;

static void send(const char *kind, uint64_t id, const char *label)
{
	char arg[24];
	const char *why = "";
	str_format(arg, sizeof(arg), "%llu", (unsigned long long)id);
	if (host_frame_send(kind, arg, label, strlen(label), &why) != 0)
		target_logf(NULL, "domain %s: no frame for the host: %s", arg,
		            why);
}

uint64_t core_platform_domain_created(const char *label, kpd_t *domain)
{
	send("domain", ++last_id, label);
	domain_output_ring_watch(last_id, domain);
	return last_id;
}

/* Its last output first: the host knows its label until "ended". */
void core_platform_domain_ended(uint64_t id)
{
	if (!id)
		return;
	domain_output_ring_unwatch(id);
	send("ended", id, "");
}
