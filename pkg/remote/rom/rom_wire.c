/*
 * Encoding, decoding and assembly of remote ROM updates (rom_wire.h).
 */
#include <assert.h>
#include <string.h>

#include "rom_wire.h"

uint32_t rom_wire_encode(const struct rom_chunk *c, uint8_t *out)
{
	assert(c->len <= ROM_WIRE_CHUNK_MAX);
	frame_put_u32(out, c->version);
	frame_put_u32(out + 4, c->flags);
	frame_put_u32(out + 8, c->total);
	frame_put_u32(out + 12, c->offset);
	if (c->len)
		memcpy(out + ROM_WIRE_HEADER, c->bytes, c->len);
	return ROM_WIRE_HEADER + c->len;
}

int rom_wire_decode(const uint8_t *msg, uint32_t len, struct rom_chunk *c)
{
	struct rom_chunk d;
	if (len < ROM_WIRE_HEADER)
		return -1;
	d.version = frame_get_u32(msg);
	d.flags = frame_get_u32(msg + 4);
	d.total = frame_get_u32(msg + 8);
	d.offset = frame_get_u32(msg + 12);
	d.len = len - ROM_WIRE_HEADER;
	d.bytes = msg + ROM_WIRE_HEADER;
	if ((d.flags & ~ROM_WIRE_AVAILABLE) != 0 ||
	    (!(d.flags & ROM_WIRE_AVAILABLE) &&
	     (d.total || d.offset || d.len)) ||
	    d.offset > d.total || d.len > d.total - d.offset)
		return -1;
	*c = d;
	return 0;
}

static int name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int rom_wire_want_decode(const uint8_t *msg, uint32_t len,
                         char name[ROM_WIRE_NAME_MAX + 1])
{
	if (len == 0 || len > ROM_WIRE_NAME_MAX)
		return -1;
	for (uint32_t i = 0; i < len; i++)
		if (!name_char(msg[i]))
			return -1;
	if ((len == 1 && msg[0] == '.') ||
	    (len == 2 && msg[0] == '.' && msg[1] == '.'))
		return -1;
	memcpy(name, msg, len);
	name[len] = '\0';
	return 0;
}

int rom_assembly_add(struct rom_assembly *a, const struct rom_chunk *c)
{
	if (c->len == 0 && c->offset != 0)
		return -1;    /* only an empty version is empty */
	if (c->offset == 0) { /* a new version begins */
		if (c->total > a->max)
			return -1;
		a->version = c->version;
		a->flags = c->flags;
		a->total = c->total;
		a->got = 0;
		a->busy = 1;
	} else if (!a->busy || c->version != a->version ||
	           c->total != a->total || c->offset != a->got) {
		return -1;
	}
	if (c->len)
		memcpy(a->buf + a->got, c->bytes, c->len);
	a->got += c->len;
	assert(a->got <= a->total && a->total <= a->max);
	if (a->got < a->total)
		return 0;
	a->busy = 0;
	return 1;
}
