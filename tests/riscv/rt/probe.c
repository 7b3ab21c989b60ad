/*
 * A component that probes core's PD and ROM services on riscv: it
 * allocates RAM dataspaces of 1 MiB from its own PD until core refuses,
 * checks that what it got stays within its RAM quota (pd.quota), attaches
 * a dataspace in an RM session and detaches it, and asks for the ROM of a
 * boot module that does not exist, which core must give as a session
 * that says `unavailable` (as linux core does for a file not there yet:
 * a push may bring it). Exits 0 when the refusal and the ROM came as
 * they should and RM worked, else 1.
 */
#include <runtime/env.h>

#include "pd_rpc.h"
#include "rm_rpc.h"

#define CHUNK ((uint64_t)1 << 20)
#define MAX_CHUNKS 64

void component_construct(env_t *env)
{
	static kcap_t chunks[MAX_CHUNKS];
	uint64_t limit = 0, used = 0, cap_limit = 0, cap_used = 0;
	unsigned got = 0;
	int rc = 0;
	while (got < MAX_CHUNKS &&
	       (rc = pd_alloc(env->pd, CHUNK, &chunks[got])) == 0)
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

	kcap_t rm, ds;
	uint32_t rm_id;
	uint64_t at = 0;
	int rm_rc = env_session(env, "RM", "ram_quota=16K, cap_quota=2", &rm,
	                        &rm_id);
	if (!rm_rc && !(rm_rc = pd_alloc(env->pd, 8192, &ds))) {
		rm_rc = rm_attach(rm, ds, 0, 8192, false, 0, true, &at);
		if (!rm_rc)
			rm_rc = rm_detach(rm, at);
		pd_free(env->pd, ds);
		kcap_close(ds);
	}
	env_log(env, "RM: 8 KiB attached at offset %llu and detached: %s",
	        (unsigned long long)at, runtime_strerror(rm_rc));
	if (!rm_rc)
		env_close(env, rm_id);

	env_rom_t rom;
	rc = env_rom_open(env, "no_such_module", &rom);
	int unavailable = !rc && !rom.data;
	env_log(env, "ROM no_such_module: %s",
	        rc            ? runtime_strerror(rc)
	        : unavailable ? "unavailable"
	                      : "opened, with content");
	if (!rc)
		env_rom_close(&rom);
	env_exit(env, quota_ok && unavailable && !rm_rc ? 0 : 1);
}
