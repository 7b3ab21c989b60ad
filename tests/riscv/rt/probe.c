/*
 * A component that probes core's PD and ROM services on riscv: it
 * allocates RAM dataspaces of 1 MiB from its own PD until core refuses,
 * checks that what it got stays within its RAM quota (pd.quota), and asks
 * for the ROM of a boot module that does not exist, which core must
 * refuse. Exits 0 when both refusals came as they should, else 1.
 */
#include <runtime/env.h>

#include "pd_rpc.h"

#define CHUNK ((uint64_t)1 << 20)
#define MAX_CHUNKS 64

void component_construct(env_t *env)
{
	static kcap_t chunks[MAX_CHUNKS];
	uint64_t limit = 0, used = 0, cap_limit = 0, cap_used = 0;
	unsigned got = 0;
	int rc = 0;
	while (got < MAX_CHUNKS && (rc = pd_alloc(env->pd, CHUNK, &chunks[got])) == 0)
		got++;
	pd_quota(env->pd, &limit, &used, &cap_limit, &cap_used);
	env_log(env, "RAM quota %llu bytes: %u MiB allocated, then: %s",
	        (unsigned long long)limit, got, rpc_strerror(&pd_rpc, rc));
	int quota_ok = rc == PD_ERR_OUT_OF_RAM && used <= limit &&
	               got * CHUNK <= limit && got < MAX_CHUNKS;
	for (unsigned i = 0; i < got; i++) {
		pd_free(env->pd, chunks[i]);
		kcap_close(chunks[i]);
	}

	env_rom_t rom;
	rc = env_rom_open(env, "no_such_module", &rom);
	env_log(env, "ROM no_such_module: %s", rc ? runtime_strerror(rc) : "opened");
	if (!rc)
		env_rom_close(&rom);
	env_exit(env, quota_ok && rc ? 0 : 1);
}
