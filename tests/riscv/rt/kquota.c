/*
 * A component that probes the kernel's bound on what core's children
 * create themselves (core/riscv/core_platform.h, CORE_KERNEL_RAM_LIMIT;
 * the riscv suite): it creates kernel memory objects of 1 MiB until the
 * kernel refuses, frees them, gives part of its RAM quota to a session
 * (its parent moves that much from its PD to the server's), and creates
 * them again. Core keeps the kernel's limit equal to the PD's quota, so
 * the second round gets at least that part fewer; with the limit left as
 * the domain started, both rounds get the same. Exits 0 when the second
 * round is short by the part given, else 1.
 *
 * It calls the kernel directly (kmem_create) where components use
 * libruntime: the memory objects a domain creates itself are the path
 * the kernel charges it for, which no libruntime call takes.
 */
#include <runtime/env.h>

#include <kernel/kernel.h>

#define CHUNK ((size_t)1 << 20)
#define MAX_CHUNKS 64
#define GIVEN_MIB 4
#define TEXT(x) #x
#define MIB_TEXT(x) TEXT(x) "M"

/* How many objects of CHUNK bytes the kernel lets this domain create. */
static unsigned objects_allowed(void)
{
	static kcap_t objects[MAX_CHUNKS];
	unsigned got = 0;
	while (got < MAX_CHUNKS && kmem_create(CHUNK, &objects[got]) == 0)
		got++;
	for (unsigned i = 0; i < got; i++)
		kcap_close(objects[i]);
	return got;
}

void component_construct(env_t *env)
{
	unsigned before = objects_allowed();
	kcap_t rm;
	uint32_t id;
	int rc = env_session(env, "RM",
	                     "ram_quota=" MIB_TEXT(GIVEN_MIB) ", cap_quota=2",
	                     &rm, &id);
	unsigned after = rc ? 0 : objects_allowed();
	env_log(env,
	        "kernel memory objects of 1 MiB: %u, after giving %d MiB "
	        "to a session: %u (%s)",
	        before, GIVEN_MIB, after, runtime_strerror(rc));
	if (!rc)
		env_close(env, id);
	env_exit(env, !rc && before < MAX_CHUNKS && after + GIVEN_MIB <= before
	                      ? 0
	                      : 1);
}
