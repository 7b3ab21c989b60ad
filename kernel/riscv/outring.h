/*
 * A domain's output ring: what its stdout or stderr wrote (SYS_PRINT)
 * and the root has not yet taken (SYS_OUTPUT_READ), in a bounded ring of
 * OUTRING_SIZE bytes per stream (struct pd holds one per stream). A
 * writer that finds it full gets a short count and tries again later
 * (lib/libc.c yields meanwhile), as a pipe holds up its writer on linux:
 * nothing is lost, and a domain that writes more than the root reads is
 * slowed to the root's pace, never the other way round.
 *
 * Plain bytes and indices, no kernel state: tests/unit/riscv_outring
 * runs it on the host.
 *
 * Invariants (outring_ok):
 *   - 0 <= head < OUTRING_SIZE and 0 <= len <= OUTRING_SIZE;
 *   - the bytes not yet taken are buf[head], buf[head + 1], ... len of
 *     them, wrapping at OUTRING_SIZE, in the order they were put.
 */
#ifndef RISCV_OUTRING_H
#define RISCV_OUTRING_H

#include <stddef.h>
#include <stdint.h>

#define OUTRING_SIZE 4096u

struct outring {
	uint32_t head, len;
	char buf[OUTRING_SIZE];
};

int outring_ok(const struct outring *r);

/* Bytes that fit now. */
size_t outring_room(const struct outring *r);
size_t outring_used(const struct outring *r);

/* Appends the first n <= outring_room() bytes of data. */
void outring_put(struct outring *r, const char *data, size_t n);

/* The oldest n <= outring_used() bytes into out, taken away. */
void outring_take(struct outring *r, char *out, size_t n);

#endif /* RISCV_OUTRING_H */
