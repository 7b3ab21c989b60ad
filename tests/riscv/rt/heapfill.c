/*
 * A component whose malloc heap fills from its RAM quota (the riscv
 * suite, core_child_heap_from_quota): libkernel's sbrk
 * (kernel/riscv/lib/sbrk.c) grows picolibc's heap with memory objects
 * the kernel charges to this domain within its limit, which core keeps
 * equal to the PD's quota. It asks malloc for twice its quota at once
 * (refused, and what that growth had created is given back), then fills
 * the heap with blocks of 64 KiB, 4 KiB and 64 bytes until malloc
 * returns NULL, frees every block and fills it again. Each refusal must
 * be a NULL with errno ENOMEM, never a fault. Logs what it got; exits 0
 * when the fill is within the quota and short of it by less than
 * SHORT_MAX (the image, stacks and IPC buffers), and the second fill gets
 * as much as the first but one block, else 1.
 */
#include <runtime/env.h>

#include "pd_rpc.h"

#include <errno.h>
#include <stdlib.h>

#define SHORT_MAX ((uint64_t)1 << 20)

/* A block holds the one allocated before it, so the heap itself lists
 * what it holds; the fill needs no memory of its own. */
struct block {
	struct block *prev;
};

static int refusals_clean = 1;

/* Allocates blocks of `size` until malloc refuses; returns their bytes. */
static uint64_t fill_with(size_t size, struct block **last)
{
	uint64_t got = 0;
	for (;;) {
		errno = 0;
		struct block *b = malloc(size);
		if (!b) {
			refusals_clean &= errno == ENOMEM;
			return got;
		}
		b->prev = *last;
		*last = b;
		got += size;
	}
}

static uint64_t fill_and_free(void)
{
	struct block *last = NULL;
	uint64_t got = fill_with((size_t)64 << 10, &last) +
	               fill_with((size_t)4 << 10, &last) + fill_with(64, &last);
	while (last) {
		struct block *prev = last->prev;
		free(last);
		last = prev;
	}
	return got;
}

void component_construct(env_t *env)
{
	uint64_t limit = 0, used = 0, cap_limit = 0, cap_used = 0;
	int rc = pd_quota(env->pd, &limit, &used, &cap_limit, &cap_used);

	errno = 0;
	void *too_much = malloc((size_t)(2 * limit));
	int too_much_refused = !too_much && errno == ENOMEM;
	free(too_much);

	uint64_t first = fill_and_free();
	uint64_t again = fill_and_free();
	env_log(env,
	        "heap from a RAM quota of %llu bytes: %llu bytes, then NULL "
	        "(%s); after freeing them %llu bytes; %llu bytes at once: %s",
	        (unsigned long long)limit, (unsigned long long)first,
	        refusals_clean ? "ENOMEM" : "not ENOMEM",
	        (unsigned long long)again, (unsigned long long)(2 * limit),
	        too_much_refused ? "NULL (ENOMEM)" : "not refused");
	int ok = !rc && too_much_refused && refusals_clean && first <= limit &&
	         first + SHORT_MAX > limit && again + (64u << 10) >= first;
	env_exit(env, ok ? 0 : 1);
}
