/*
 * A client component of pkg/timer for the riscv suite: opens a Timer
 * session through its parent, installs a signal, asks for one alarm in
 * 50 ms and waits for it (no more than a second), then checks what the
 * timer says has elapsed. Built from libruntime like any component.
 */
#include <runtime/env.h>
#include <runtime/signal.h>

#include "timer_rpc.h"

void component_construct(env_t *env)
{
	kcap_t timer, sig;
	uint32_t id;
	signal_receiver_t *rx;
	signal_context_t ctx;
	signal_t fired;
	uint64_t before = 0, after = 0;
	int rc = env_session(env, "Timer", "label=\"riscv\"", &timer, &id);
	if (!rc)
		rc = signal_receiver_create(&rx);
	if (!rc)
		rc = signal_receiver_manage(rx, &ctx, &sig);
	if (!rc)
		rc = timer_sigh(timer, sig);
	if (!rc)
		rc = timer_elapsed_ms(timer, &before);
	if (!rc)
		rc = timer_trigger_once(timer, 50);
	if (!rc)
		rc = signal_receiver_wait(rx, &fired, 1000);
	if (!rc)
		rc = timer_elapsed_ms(timer, &after);
	if (rc) {
		env_log(env, "timer: %s", runtime_strerror(rc));
		env_exit(env, 1);
	}
	env_log(env, "the alarm of 50 ms came after %s 50 ms",
	        after - before >= 50 ? "at least" : "less than");
	env_close(env, id);
	env_exit(env, after - before >= 50 ? 0 : 1);
}
