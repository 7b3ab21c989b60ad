/*
 * The riscv platform's part of core's service table (services.h) and the
 * words for a domain a fault ended.
 *
 * IRQ and IO_MEM: this is where the device services plug in (core/
 * irq_service.c and core/io_mem_service.c over SYS_IRQ_BIND and
 * SYS_IOMEM_CREATE, branch rvdev): replace their refusal below by the
 * service's init and dissolve. Until then every session is refused with
 * the reason. IO_PORT stays refused: riscv has no port I/O.
 */
#include "services.h"

#include "root_rpc.h"

#include <runtime/str.h>

#include <string.h>

static int refuse(struct root_component *root, struct root_session *session,
                  const struct session_args *args, const char *raw_args,
                  const char **why)
{
	(void)session; (void)args; (void)raw_args;
	*why = strcmp(root_component_name(root), "IO_PORT") == 0
	       ? "riscv has no port I/O"
	       : "not served on riscv yet (core/README.md, \"What remains\")";
	return ROOT_ERR_DENIED;
}

static const struct root_component_ops refusing = { .create = refuse };

static int refusing_init(struct root_component *svc, entrypoint_t *ep,
                         const char *name)
{
	const struct root_component_config config = {
		CORE_SERVICE_CONFIG(name),
		ROOT_SESSION_LAYOUT(struct root_session, obj), .ops = &refusing,
	};
	return root_component_init(svc, ep, &config);
}

struct root_component *core_platform_service(struct core_services *s, int i)
{
	struct root_component *all[CORE_PLATFORM_SERVICE_COUNT] = {
		&s->irq, &s->io_mem, &s->io_port,
	};
	return all[i];
}

int core_platform_service_start(struct core_services *s, int i,
                                entrypoint_t *ep, struct target *target)
{
	(void)target;
	static const char *const names[CORE_PLATFORM_SERVICE_COUNT] = {
		"IRQ", "IO_MEM", "IO_PORT",
	};
	return refusing_init(core_platform_service(s, i), ep, names[i]);
}

void core_platform_service_stop(struct core_services *s, int i)
{
	root_component_dissolve(core_platform_service(s, i));
}

void core_platform_killed_words(int code, char *out, size_t size)
{
	static const char *const names[] = {
		"instruction misaligned", "instruction access fault",
		"illegal instruction", "breakpoint", "load misaligned",
		"load access fault", "store misaligned", "store access fault",
		"ecall from U-mode", "killed by its creator", "reserved",
		"ecall from M-mode", "instruction page fault", "load page fault",
		"reserved", "store page fault",
	};
	str_format(out, size, "exception %d (%s)", code,
	           code >= 0 && (size_t)code < sizeof(names) / sizeof(*names)
	           ? names[code] : "unknown");
}

unsigned core_platform_cpus(void)
{
	return 1;   /* the kernel runs one hart (kernel/riscv/README.md) */
}
