/*
 * A component that writes more to stdout and stderr than the kernel's
 * output ring holds (kernel/riscv/outring.h), under core (the riscv
 * suite's core_output_limited): a line to stdout, one with control bytes
 * to stderr, FLOOD_LINES numbered lines to stderr without a pause, a
 * last line left without its newline; then it exits 0. Core must pass
 * every line on, in order, and its writer must wait while the ring is
 * full rather than lose any.
 */
#include <runtime/env.h>

#include <stdio.h>

#define FLOOD_LINES 1000

void component_construct(env_t *env)
{
	printf("to stdout\n");
	fprintf(stderr, "escape \033[2J bell \a end\n");
	for (int i = 0; i < FLOOD_LINES; i++)
		fprintf(stderr, "flood line %d\n", i);
	fputs("unterminated", stderr);
	env_log(env, "flooded");
	env_exit(env, 0);
}
