/*
 * One error space for libruntime. Every module's error codes lie in a
 * range of their own, stated here once, so a code says by itself what went
 * wrong and runtime_strerror() turns any of them into words; no caller has
 * to know which module a status came from.
 *
 *   0                  success
 *   -99 .. -1          the kernel interface: KERR_* (kernel/kernel.h)
 *   -199 .. -101       region maps: REGION_MAP_ERR_* (region_map.h)
 *   -299 .. -201       allocators: ALLOC_ERR_* (allocator.h)
 *   -399 .. -301       strings: STR_ERR_* (str.h)
 *   -499 .. -401       argument strings: ARG_ERR_* (arg_string.h)
 *   -599 .. -501       AVL tree checks: AVL_ERR_* (avl.h)
 *   -699 .. -601       the service registry: SERVICE_ERR_* (service.h)
 *   -799 .. -701       ELF images: ELF_ERR_* (elf.h)
 *   1 .. 255           an RPC interface's declared errors, in the order
 *                      the interface declares them (runtime/rpc.h)
 *   0x101 .. 0x1ff     the RPC layer's own: RPC_ERR_* (rpc.h)
 *
 * A module's enum starts at its base (FOO_ERR_X = RUNTIME_ERR_FOO_BASE) and
 * counts up from there, at most RUNTIME_ERR_SPAN codes; the kernel's
 * count down from -1 (kernel/ knows nothing above it).
 *
 * The one exception, on purpose: an interface's declared errors travel on
 * the wire as 1, 2, 3... and so are numbered per interface. libruntime's
 * own API returns those of the parent interface only (PARENT_ERR_*: env,
 * child, connection), and runtime_strerror() says those. A status from a
 * generated stub of another interface is said by rpc_strerror(&foo_rpc,
 * status), which knows that interface's declarations and hands every
 * other code to runtime_strerror().
 *
 * Adding a module: take the next free base below, start its enum there,
 * add its words and its range to runtime/error/error.c
 * (whose tests check that every code has words of its own and that no
 * two ranges overlap).
 */
#ifndef RUNTIME_ERROR_H
#define RUNTIME_ERROR_H

#include <stddef.h>

enum runtime_error_base {
	RUNTIME_ERR_KERNEL_BASE = -99,
	RUNTIME_ERR_REGION_MAP_BASE = -199,
	RUNTIME_ERR_ALLOC_BASE = -299,
	RUNTIME_ERR_STR_BASE = -399,
	RUNTIME_ERR_ARG_BASE = -499,
	RUNTIME_ERR_AVL_BASE = -599,
	RUNTIME_ERR_SERVICE_BASE = -699,
	RUNTIME_ERR_ELF_BASE = -799,
};

/* Codes a negative range holds: base .. base + RUNTIME_ERR_SPAN - 1. */
#define RUNTIME_ERR_SPAN 99

/* Words for any status of libruntime (the table above): never NULL. */
const char *runtime_strerror(int status);

/* One module's range: the codes it may use [reserved_low, reserved_high]
 * and the ones it defines [low, high], all of them with words. */
struct runtime_error_range {
	const char *module;
	int reserved_low, reserved_high;
	int low, high;
};

/* Every range, for tests and for tools that list the codes. */
const struct runtime_error_range *runtime_error_ranges(size_t *count);

#endif /* RUNTIME_ERROR_H */
