/*
 * remote-bench-rpc: the calling end of the RPC round trip bench
 * (tests/bench/remote_bench.sh). A component that opens a Counter session
 * (pkg/counter's counter_session interface, wherever init routes it: a
 * local counter, or a remote RPC proxy) and times `calls` increments one
 * after the other, each a full round trip, with clock_now_ns(). It logs
 * the median and the 90th percentile, then exits. The first 50 calls
 * warm up and are not counted.
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include <runtime/clock.h>
#include <runtime/connection.h>
#include <runtime/env.h>

#include "counter_session_rpc.h"

#define CALLS_MAX 100000
#define WARM_UP 50

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* config "calls": how many round trips are counted (default 2000). */
static unsigned calls_of(env_t *env)
{
	env_rom_t rom;
	unsigned calls = 2000;

	if (env_rom_open(env, "config", &rom) == 0) {
		cJSON *c = rom.data ? cJSON_ParseWithLength(rom.data, rom.size)
		                    : NULL;
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "calls");
		if (cJSON_IsNumber(n) && n->valuedouble >= 1 &&
		    n->valuedouble <= CALLS_MAX)
			calls = (unsigned)n->valuedouble;
		cJSON_Delete(c);
		env_rom_close(&rom);
	}
	return calls;
}

void component_construct(env_t *env)
{
	static uint64_t took[CALLS_MAX]; /* one per call, kept for the sort */
	connection_t counter;
	unsigned calls = calls_of(env);
	uint64_t value;
	int err = connection_open(&counter, env, "Counter",
	                          "label=\"bench\", ram_quota=16K");

	if (err) {
		env_log(env, "no Counter session: %s", runtime_strerror(err));
		env_exit(env, 1);
	}

	for (unsigned i = 0; !err && i < WARM_UP + calls; i++) {
		uint64_t t0 = clock_now_ns();
		err = counter_session_increment(counter.cap, 1, &value);
		if (i >= WARM_UP)
			took[i - WARM_UP] = clock_now_ns() - t0;
	}
	if (err) {
		env_log(env, "Counter calls failed: %s",
		        rpc_strerror(&counter_session_rpc, err));
		env_exit(env, 1);
	}
	qsort(took, calls, sizeof took[0], by_value);
	env_log(env, "rpc round trips %u median_ns %llu p90_ns %llu", calls,
	        (unsigned long long)took[calls / 2],
	        (unsigned long long)took[calls * 9 / 10]);
	connection_close(&counter);
	env_exit(env, 0);
}
