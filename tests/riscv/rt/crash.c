/*
 * A component that faults once it is up: it logs, then loads from
 * address 0. Core must report how it ended and go on (the riscv suite).
 */
#include <runtime/env.h>

void component_construct(env_t *env)
{
	env_log(env, "about to fault");
	volatile const int *nowhere = (volatile const int *)0;
	// cppcheck-suppress nullPointer
	env_exit(env, *nowhere); // NOLINT(clang-analyzer-core.NullDereference): the fault is the test
}
