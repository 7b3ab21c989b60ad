/*
 * Logical connections framed over one byte stream (pure, no platform
 * code; core on riscv and host tools build it): a riscv net port is ONE
 * host TCP connection that a guest cannot close (core/riscv/net_ports.h),
 * so the two ends of a port say in frames where each connection of theirs
 * begins and ends, and a byte of an older connection never reaches a
 * newer one.
 *
 * A frame is a header of NET_FRAME_HEADER bytes, then its payload:
 *
 *   byte 0     kind: 'O' OPEN, 'D' DATA, 'C' CLOSE
 *   byte 1     0 (any other value is refused)
 *   bytes 2-3  payload length, big-endian: DATA 1..NET_FRAME_PAYLOAD_MAX,
 *              OPEN and CLOSE 0
 *   bytes 4-7  connection id, big-endian, never 0
 *
 * One end dials (a `net.NODE.PORT` port): it alone sends OPEN, with ids
 * that only grow over the byte stream; the other listens (`listen.PORT`)
 * and takes each OPEN as a new connection, ending the one before. Both
 * send DATA and CLOSE for the connection open now. At most one connection
 * is open on a byte stream at a time, so an end's whole state is the
 * newest id opened and the one open now: a frame for an older id is stale
 * (a connection that ended while its bytes were on their way) and its
 * payload is dropped; a frame for an id never opened, an OPEN from the
 * listening end or one whose id is not above the newest, an unknown kind,
 * a nonzero reserved byte or a length out of bounds is refused: the
 * stream is malformed (the peer is broken or hostile), the decoder takes
 * nothing more and says why in a static sentence. Ids restart with the
 * byte stream (a new decoder); 2^32-1 OPENs on one byte stream are more
 * than any peer makes, and an OPEN past them is refused.
 *
 * The decoder takes the stream in slices cut anywhere, in time linear in
 * their length, and hands the payload back as slices of the input (no
 * copy, no buffer): what the peer sends never grows its state.
 */
#ifndef CORE_NET_FRAME_H
#define CORE_NET_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define NET_FRAME_HEADER      8u
#define NET_FRAME_PAYLOAD_MAX 4096u

enum net_frame_kind {
	NET_FRAME_OPEN = 'O',
	NET_FRAME_DATA = 'D',
	NET_FRAME_CLOSE = 'C',
};

/* Writes the header of a frame of `kind` for connection `id` (not 0)
 * with `len` bytes of payload (DATA: 1..NET_FRAME_PAYLOAD_MAX, else 0). */
void net_frame_header(unsigned char out[NET_FRAME_HEADER],
                      enum net_frame_kind kind, uint32_t id, uint32_t len);

/* One end's side of a byte stream: its connections and the frame it is
 * in the middle of. Invariants: cur is 0 or cur <= last; have <
 * NET_FRAME_HEADER; left <= NET_FRAME_PAYLOAD_MAX; once refused is set
 * nothing else changes. */
struct net_frame_decoder {
	int dials;     /* this end sends the OPENs */
	uint32_t last; /* the newest id opened on the stream, 0 none */
	uint32_t cur;  /* the connection open now, 0 none */
	unsigned char head[NET_FRAME_HEADER];
	uint32_t have;       /* header bytes gathered */
	uint32_t left;       /* payload bytes of the present frame to come */
	uint32_t id;         /* its connection: open now, or stale */
	const char *refused; /* why the stream was refused, or NULL */
};

/* What net_frame_decode() found. */
enum net_frame_event_kind {
	NET_FRAME_NOTHING, /* the input is spent */
	NET_FRAME_OPENED,  /* the peer opened connection `id` (listening end):
	                      the one before, if any, is over */
	NET_FRAME_BYTES,   /* bytes[len] of the open connection, `id` */
	NET_FRAME_CLOSED,  /* the peer closed the open connection, `id` */
	NET_FRAME_REFUSED, /* the stream is malformed: `why` */
};

struct net_frame_event {
	enum net_frame_event_kind kind;
	uint32_t id;
	const unsigned char *bytes; /* NET_FRAME_BYTES: within the input */
	size_t len;
	const char *why; /* NET_FRAME_REFUSED */
};

/* A decoder for a new byte stream, of the end that dials or not. */
void net_frame_decoder_init(struct net_frame_decoder *d, int dials);

/* Takes data[len] up to the first event: how many bytes it took, and
 * *ev (NET_FRAME_NOTHING when it took them all without one). Stale
 * frames are dropped without an event. NET_FRAME_REFUSED is said once;
 * after it every byte is taken and nothing found. */
size_t net_frame_decode(struct net_frame_decoder *d, const void *data,
                        size_t len, struct net_frame_event *ev);

/* The dialling end opens connection `id`: 0, or -1 when `id` is not
 * above the newest (the caller's ids must grow) or the stream was
 * refused. The connection open before, if any, is over. */
int net_frame_open(struct net_frame_decoder *d, uint32_t id);

/* This end closed connection `id`: from now its frames are stale. */
void net_frame_close(struct net_frame_decoder *d, uint32_t id);

#endif /* CORE_NET_FRAME_H */
