/*
 * The framing of net_frame.h: a header written, and a decoder that
 * gathers a header byte by byte (a slice may end anywhere), judges it
 * against the connections of the stream, then passes the payload through
 * as slices of the input or drops it.
 */
#include "net_frame.h"

#include <assert.h>
#include <string.h>

void net_frame_header(unsigned char out[NET_FRAME_HEADER],
                      enum net_frame_kind kind, uint32_t id, uint32_t len)
{
	assert(id != 0 && len <= NET_FRAME_PAYLOAD_MAX);
	out[0] = (unsigned char)kind;
	out[1] = 0;
	out[2] = (unsigned char)(len >> 8);
	out[3] = (unsigned char)len;
	out[4] = (unsigned char)(id >> 24);
	out[5] = (unsigned char)(id >> 16);
	out[6] = (unsigned char)(id >> 8);
	out[7] = (unsigned char)id;
}

void net_frame_decoder_init(struct net_frame_decoder *d, int dials)
{
	memset(d, 0, sizeof(*d));
	d->dials = dials;
}

static int known_kind(unsigned char kind)
{
	return kind == NET_FRAME_OPEN || kind == NET_FRAME_DATA ||
	       kind == NET_FRAME_CLOSE;
}

/* The whole header in d->head judged (decode: no effect): NULL, or why
 * the stream is refused. */
static const char *check_header(const struct net_frame_decoder *d, uint32_t id,
                                uint32_t len)
{
	unsigned char kind = d->head[0];
	if (d->head[1] != 0)
		return "a frame's reserved byte is not 0";
	if (len > NET_FRAME_PAYLOAD_MAX)
		return "a frame is longer than one page";
	if (kind == NET_FRAME_DATA ? len == 0 : len != 0)
		return kind == NET_FRAME_DATA ? "a DATA frame is empty"
		                              : "an OPEN or CLOSE frame has a "
		                                "payload";
	if (id == 0)
		return "a frame names connection 0";
	if (kind == NET_FRAME_OPEN)
		return d->dials ? "an OPEN came from the listening end"
		       : id <= d->last
		               ? "an OPEN's id is not above the newest one's"
		               : NULL;
	return id > d->last ? "a frame names a connection never opened" : NULL;
}

/* The header just completed (invoke): the event it makes, if any. */
static void take_header(struct net_frame_decoder *d, struct net_frame_event *ev)
{
	uint32_t len = (uint32_t)d->head[2] << 8 | d->head[3];
	uint32_t id = (uint32_t)d->head[4] << 24 | (uint32_t)d->head[5] << 16 |
	              (uint32_t)d->head[6] << 8 | d->head[7];
	const char *why = check_header(d, id, len);
	d->have = 0;
	if (why) {
		d->refused = why;
		ev->kind = NET_FRAME_REFUSED;
		ev->why = why;
		return;
	}
	switch (d->head[0]) {
	case NET_FRAME_OPEN:
		d->last = d->cur = id;
		ev->kind = NET_FRAME_OPENED;
		ev->id = id;
		break;
	case NET_FRAME_CLOSE:
		if (id == d->cur) { /* else stale */
			d->cur = 0;
			ev->kind = NET_FRAME_CLOSED;
			ev->id = id;
		}
		break;
	default: /* DATA */
		d->left = len;
		d->id = id;
	}
	assert(d->cur == 0 || d->cur <= d->last);
}

size_t net_frame_decode(struct net_frame_decoder *d, const void *data,
                        size_t len, struct net_frame_event *ev)
{
	const unsigned char *in = data;
	size_t used = 0;
	memset(ev, 0, sizeof(*ev));
	if (d->refused)
		return len;
	while (used < len && ev->kind == NET_FRAME_NOTHING) {
		if (d->left > 0) {
			size_t n = len - used < d->left ? len - used : d->left;
			d->left -= (uint32_t)n;
			/* this end may have closed the connection
			 * in the middle of the frame */
			if (d->id == d->cur && d->cur != 0) {
				ev->kind = NET_FRAME_BYTES;
				ev->id = d->cur;
				ev->bytes = in + used;
				ev->len = n;
			}
			used += n;
			continue;
		}
		d->head[d->have++] = in[used++];
		if (d->have == 1 && !known_kind(d->head[0])) {
			d->refused = "a frame of an unknown kind";
			ev->kind = NET_FRAME_REFUSED;
			ev->why = d->refused;
		} else if (d->have == NET_FRAME_HEADER) {
			take_header(d, ev);
		}
	}
	return d->refused ? len : used;
}

int net_frame_open(struct net_frame_decoder *d, uint32_t id)
{
	if (!d->dials || d->refused || id <= d->last)
		return -1;
	d->last = d->cur = id;
	return 0;
}

void net_frame_close(struct net_frame_decoder *d, uint32_t id)
{
	if (d->cur == id)
		d->cur = 0;
}
