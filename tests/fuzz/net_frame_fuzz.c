/*
 * Fuzz target of the decoder of connections framed over a riscv net port
 * (core/net_frame.h): arbitrary bytes as a peer machine sends them. The
 * first byte chooses the end (dialling or listening) and the size of
 * the slices the rest arrives in; a dialling end opens connection 1
 * first. Every call must take at least one byte, hand out payload only
 * from within its input and no more of it than came, keep cur <= last,
 * find nothing after a refusal; and the events must not depend on where
 * the slices cut the stream: fed at once, the same bytes give the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A digest of the events of one run (FNV-1a over kinds, ids, bytes). */
struct digest {
	uint64_t sum;
	size_t payload;
	int refused;
};

static void mix(struct digest *g, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		g->sum = (g->sum ^ b[i]) * 1099511628211u;
}

/* Feeds data[len] in slices of `cut` bytes. */
static void run(const uint8_t *data, size_t len, int dials, size_t cut,
                struct digest *g)
{
	struct net_frame_decoder d;
	net_frame_decoder_init(&d, dials);
	if (dials && net_frame_open(&d, 1) != 0)
		abort();
	g->sum = 1469598103934665603u;
	for (size_t at = 0; at < len;) {
		size_t slice = len - at < cut ? len - at : cut;
		for (size_t off = 0; off < slice;) {
			struct net_frame_event ev;
			const uint8_t *in = data + at + off;
			size_t used = net_frame_decode(&d, in, slice - off,
			                               &ev);
			if (used == 0 || used > slice - off)
				abort();
			if (d.cur != 0 && d.cur > d.last)
				abort();
			if (g->refused && ev.kind != NET_FRAME_NOTHING)
				abort();
			if (ev.kind == NET_FRAME_BYTES) {
				if (ev.len == 0 || ev.bytes < in ||
				    ev.bytes + ev.len > in + used)
					abort();
				g->payload += ev.len;
				/* bytes only: where a slice cut them must not
				 * show */
				mix(g, ev.bytes, ev.len);
			} else if (ev.kind != NET_FRAME_NOTHING) {
				unsigned char k = (unsigned char)ev.kind;
				mix(g, &k, 1);
				mix(g, &ev.id, sizeof(ev.id));
			}
			g->refused |= ev.kind == NET_FRAME_REFUSED;
			off += used;
		}
		at += slice;
	}
	if (g->payload > len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest cut = { 0 }, whole = { 0 };
	if (size < 1)
		return 0;
	int dials = data[0] & 1;
	size_t slice = (size_t)(data[0] >> 1) + 1;
	run(data + 1, size - 1, dials, slice, &cut);
	run(data + 1, size - 1, dials, size, &whole);
	if (cut.sum != whole.sum || cut.payload != whole.payload ||
	    cut.refused != whole.refused)
		abort();
	return 0;
}
