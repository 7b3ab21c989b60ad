/*
 * A backing allocator for the allocator tests: the C heap, with a count of
 * live blocks and a switch that makes the next allocations fail, so that
 * tests can prove both that nothing leaks and that failures of the layer
 * below are handled.
 */
#ifndef TEST_BACKING_H
#define TEST_BACKING_H

#include <runtime/allocator.h>

struct test_backing {
	struct allocator base;
	long live_blocks;
	long allocs;
	int fail_after; /* < 0: never fail; else succeed this many times */
};

void test_backing_init(struct test_backing *b);

#endif
