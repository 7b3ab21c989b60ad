/*
 * A client component of pkg/counter for the riscv suite (pkg/counter_client
 * needs cJSON and a Timer, which this platform does not have yet): opens a
 * Counter session through its parent, increments by 2 and by 40, reads
 * the counter's shared page, closes the session and exits with 0 when
 * the counter said 42. Built from libruntime like any component.
 */
#include <runtime/dataspace.h>
#include <runtime/env.h>

#include "counter_session_rpc.h"

void component_construct(env_t *env)
{
	kcap_t counter;
	uint32_t id;
	int rc = env_session(env, "Counter", "label=\"riscv\"", &counter, &id);
	if (rc) {
		env_log(env, "no Counter session: %s", runtime_strerror(rc));
		env_exit(env, 1);
	}
	uint64_t value = 0;
	rc = counter_session_increment(counter, 2, &value);
	if (!rc)
		rc = counter_session_increment(counter, 40, &value);
	env_log(env, "counter at %llu (%s)", (unsigned long long)value,
	        rpc_strerror(&counter_session_rpc, rc));
	kcap_t ds = KCAP_INVALID;
	struct dataspace page = { 0 };
	if (!rc)
		rc = counter_session_dataspace(counter, &ds);
	if (!rc)
		rc = dataspace_open(&page, ds, 4096) ||
		     dataspace_attach(&page, false);
	if (!rc) {
		env_log(env, "the counter's page says \"%s\"",
		        (const char *)page.addr + 8);
		dataspace_release(&page);
	}
	env_close(env, id);
	env_exit(env, rc == 0 && value == 42 ? 0 : 1);
}
