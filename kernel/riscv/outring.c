/*
 * A domain's output ring (outring.h): a byte FIFO over a fixed array.
 * The caller decodes (how much fits, outring_room/used) before it
 * invokes, so putting and taking cannot fail.
 */
#include "outring.h"

int outring_ok(const struct outring *r)
{
	return r->head < OUTRING_SIZE && r->len <= OUTRING_SIZE;
}

size_t outring_room(const struct outring *r)
{
	return OUTRING_SIZE - r->len;
}

size_t outring_used(const struct outring *r)
{
	return r->len;
}

void outring_put(struct outring *r, const char *data, size_t n)
{
	uint32_t at = (r->head + r->len) % OUTRING_SIZE;
	for (size_t i = 0; i < n; i++) {
		r->buf[at] = data[i];
		at = (at + 1) % OUTRING_SIZE;
	}
	r->len += (uint32_t)n;
}

void outring_take(struct outring *r, char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[i] = r->buf[r->head];
		r->head = (r->head + 1) % OUTRING_SIZE;
	}
	r->len -= (uint32_t)n;
}
