/*
 * A component that calls abort() once it is up, as a failed assert()
 * does: picolibc raises SIGABRT over libkernel's getpid and kill
 * (kernel/riscv/lib/libc_posix.c), which must end the domain, so that
 * core reports it and the next child runs (the riscv suite), instead of
 * the domain hanging.
 */
#include <runtime/env.h>

#include <stdlib.h>

void component_construct(env_t *env)
{
	env_log(env, "about to abort");
	abort();
}
