/*
 * Encoding and checking of link frames (remote/frame.h). The bounds of each
 * type are one table, so adding a type is adding a row; a header is
 * refused by the table before its payload is read.
 */
#include <remote/frame.h>

struct frame_rule {
	uint32_t min; /* payload bytes */
	uint32_t max;
};

/* Indexed by frame_type; row 0 is no type. */
static const struct frame_rule rules[] = {
	[FRAME_DATA] = { 1, FRAME_PAYLOAD_MAX },
	[FRAME_CREDIT] = { 4, 4 },
	[FRAME_PING] = { 8, 8 },
	[FRAME_PONG] = { 8, 8 },
};
#define RULE_COUNT (sizeof(rules) / sizeof(*rules))

void frame_put_u32(uint8_t *out, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

void frame_put_u64(uint8_t *out, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

uint32_t frame_get_u32(const uint8_t *in)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < 4; i++)
		v |= (uint32_t)in[i] << (8 * i);
	return v;
}

uint64_t frame_get_u64(const uint8_t *in)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)in[i] << (8 * i);
	return v;
}

void frame_header_encode(const frame_header_t *h, uint8_t *out)
{
	frame_put_u32(out, h->type);
	frame_put_u32(out + 4, h->channel);
	frame_put_u32(out + 8, h->length);
}

enum frame_status frame_header_decode(const uint8_t *buf, size_t len,
                                      frame_header_t *h)
{
	frame_header_t d;
	if (len < FRAME_HEADER_BYTES)
		return FRAME_NEED_MORE;
	d.type = frame_get_u32(buf);
	d.channel = frame_get_u32(buf + 4);
	d.length = frame_get_u32(buf + 8);
	if (d.type == 0 || d.type >= RULE_COUNT)
		return FRAME_UNKNOWN_TYPE;
	if (d.channel >= FRAME_CHANNELS)
		return FRAME_BAD_CHANNEL;
	if (d.length < rules[d.type].min || d.length > rules[d.type].max)
		return FRAME_BAD_LENGTH;
	*h = d;
	return FRAME_OK;
}

const char *frame_strerror(enum frame_status status)
{
	switch (status) {
	case FRAME_OK:
		return "ok";
	case FRAME_NEED_MORE:
		return "incomplete frame header";
	case FRAME_UNKNOWN_TYPE:
		return "frame of unknown type";
	case FRAME_BAD_CHANNEL:
		return "frame names a channel beyond the link's 32";
	case FRAME_BAD_LENGTH:
		return "frame length outside the bounds of its type";
	}
	return "unknown frame status";
}
