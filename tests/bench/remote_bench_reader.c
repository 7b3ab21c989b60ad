/*
 * remote-bench-reader: the receiving end of the remote ROM bench
 * (tests/bench/remote_bench.sh). A component on node b that watches its
 * ROM "stamp" (routed by init to node a) and, for every version it is
 * signalled for, logs how long ago the version was written: the content
 * is "SEQ NS", NS the writer's CLOCK_MONOTONIC nanoseconds, the same
 * clock as clock_now_ns() here (one machine, two network namespaces).
 */
#include <stdio.h>
#include <string.h>

#include <runtime/cap.h>
#include <runtime/clock.h>
#include <runtime/env.h>
#include <runtime/signal.h>

static struct {
	env_t *env;
	env_rom_t rom;
	signal_dispatcher_t changed;
} reader; /* one per component, lives as long as it */

static void stamp_changed(signal_dispatcher_t *d, uint32_t count)
{
	uint64_t now = clock_now_ns();
	unsigned long long seq, then;
	char text[64];

	(void)d;
	(void)count;
	if (env_rom_update(&reader.rom) || !reader.rom.data ||
	    reader.rom.size >= sizeof text)
		return;
	memcpy(text, reader.rom.data, reader.rom.size);
	text[reader.rom.size] = '\0';
	if (sscanf(text, "%llu %llu", &seq, &then) == 2 && then <= now)
		env_log(reader.env, "stamp %llu delay_ns %llu", seq,
		        (unsigned long long)(now - then));
}

void component_construct(env_t *env)
{
	kcap_t sig = KCAP_INVALID;

	reader.env = env;
	if (env_rom_open(env, "stamp", &reader.rom) ||
	    signal_dispatcher_init(&reader.changed, env->ep, stamp_changed,
	                           &sig) ||
	    env_rom_sigh(&reader.rom, sig)) {
		env_log(env, "cannot watch ROM \"stamp\"");
		env_exit(env, 1);
	}
	cap_close(sig);
	env_log(env, "watching stamp");
}
