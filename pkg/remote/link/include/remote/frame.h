/*
 * The frame of a remote link: what one node sends the other inside the TLS
 * stream. Pure (no I/O): the link (link.h) writes frames with
 * frame_header_encode() and reads them with frame_header_decode(), and the
 * fuzz target drives the decoder directly.
 *
 * Wire format, in the rules of the RPC wire format (runtime/rpc.h): every
 * integer little-endian, fixed width, no padding, explicit lengths.
 *
 *   header   u32 type, u32 channel, u32 length    (FRAME_HEADER_BYTES)
 *   payload  `length` bytes
 *
 *   type     payload                      meaning
 *   DATA     1..FRAME_PAYLOAD_MAX bytes   one message on `channel`
 *   CREDIT   u32 bytes (> 0)              the receiver of `channel` takes
 *                                         `bytes` more DATA payload
 *   PING     u64 cookie                   answer with PONG, same cookie
 *   PONG     u64 cookie
 *
 * Invariants of a decoded header (checked before a single payload byte is
 * read, so a hostile length never makes the reader allocate or wait for
 * it): the type is one of the table, the channel is below
 * FRAME_CHANNELS, and the length lies in the type's bounds. Decoding is
 * constant time per header, so a stream of frames is parsed in linear time.
 * A hostile header is refused with an error, not asserted; what is
 * asserted (link.c, in the builds with invariants) is that the link itself
 * writes only headers that decode. frame_header_encode() encodes whatever
 * it is given, so tests can build refused headers.
 */
#ifndef REMOTE_FRAME_H
#define REMOTE_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER_BYTES 12u
#define FRAME_PAYLOAD_MAX  65536u  /* one DATA frame, and one message */
#define FRAME_CHANNELS     32u     /* channels per link */

enum frame_type {
	FRAME_DATA = 1,
	FRAME_CREDIT = 2,
	FRAME_PING = 3,
	FRAME_PONG = 4,
};

/* Outcomes of decoding (negative: the frame is refused, the link is dead). */
enum frame_status {
	FRAME_OK = 0,
	FRAME_NEED_MORE = 1, /* not a whole header yet */
	FRAME_UNKNOWN_TYPE = -1,
	FRAME_BAD_CHANNEL = -2,
	FRAME_BAD_LENGTH = -3, /* outside the bounds of its type */
};

typedef struct frame_header {
	uint32_t type;
	uint32_t channel;
	uint32_t length;
} frame_header_t;

/* Writes the header into out[FRAME_HEADER_BYTES]. */
void frame_header_encode(const frame_header_t *h, uint8_t *out);

/* Decodes and checks the header at the start of buf[len]. */
enum frame_status frame_header_decode(const uint8_t *buf, size_t len,
                                      frame_header_t *h);

/* Words for a frame_status. */
const char *frame_strerror(enum frame_status status);

/*
 * Channels are opened and closed by the layer above (the proxies' control
 * messages on channel 0, pkg/remote/README.md), not by frames: the link
 * only carries and meters bytes.
 */

/* Little-endian helpers for payloads (CREDIT, PING). */
void frame_put_u32(uint8_t *out, uint32_t v);
void frame_put_u64(uint8_t *out, uint64_t v);
uint32_t frame_get_u32(const uint8_t *in);
uint64_t frame_get_u64(const uint8_t *in);

#endif /* REMOTE_FRAME_H */
