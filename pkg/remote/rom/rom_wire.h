/*
 * The remote ROM protocol (pure): a module's content crosses the link as
 * update messages on channel REMOTE_ROM_CHANNEL, in the frame rules
 * (little-endian, fixed width, explicit lengths):
 *
 *   u32 version   the module's version on the server's node
 *   u32 flags     ROM_WIRE_AVAILABLE, or 0: the module does not exist
 *   u32 total     content bytes of this version (0 when unavailable)
 *   u32 offset    where this chunk's bytes go
 *   bytes         the chunk, up to ROM_WIRE_CHUNK_MAX, to the end
 *
 * A version goes as chunks in order (offset 0, then each where the last
 * ended); the receiver assembles them (rom_assembly) and publishes the
 * version once it is whole, so a client never sees a part.
 *
 * Several modules share one link: the client asks for module i on
 * channel i + 1 (1..31) with a "want" message, the module's name (1 to
 * ROM_WIRE_NAME_MAX bytes of [A-Za-z0-9_.-], not "." or ".."), once per
 * link; the server answers on that channel with the module's versions if
 * it exports the module to that client, else with one unavailable chunk.
 */
#ifndef REMOTE_ROM_WIRE_H
#define REMOTE_ROM_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <remote/frame.h>

#define REMOTE_ROM_CHANNEL 1u
#define ROM_WIRE_HEADER 16u
#define ROM_WIRE_CHUNK_MAX (FRAME_PAYLOAD_MAX - ROM_WIRE_HEADER)
#define ROM_WIRE_AVAILABLE 1u
#define ROM_WIRE_NAME_MAX 128u
#define ROM_WIRE_MODULES_MAX (FRAME_CHANNELS - 1u)  /* channels 1..31 */

struct rom_chunk {
	uint32_t version, flags, total, offset, len;
	const uint8_t *bytes;
};

/* Writes the chunk into out (ROM_WIRE_HEADER + len bytes); its size. */
uint32_t rom_wire_encode(const struct rom_chunk *c, uint8_t *out);

/* Decodes a message; -1 if it is malformed (short, unknown flags, bytes
 * beyond total, or content when unavailable). */
int rom_wire_decode(const uint8_t *msg, uint32_t len, struct rom_chunk *c);

/* Checks a want message: 0 and the name NUL-terminated in name[], or -1. */
int rom_wire_want_decode(const uint8_t *msg, uint32_t len,
                         char name[ROM_WIRE_NAME_MAX + 1]);

/* The receiver's state of one module. Invariant: got <= total <= max. */
struct rom_assembly {
	uint8_t *buf; /* max bytes */
	uint32_t max; /* the largest module accepted */
	uint32_t version, flags, total, got;
	int busy; /* a version is being assembled */
};

/* Adds a decoded chunk: 1 when the version is whole (buf[0..total) and
 * version/flags describe it), 0 when more must come, -1 when the chunk
 * breaks the order or the bound (the link should be dropped). */
int rom_assembly_add(struct rom_assembly *a, const struct rom_chunk *c);

#endif
