/*
 * Encoding and checking of the RPC proxy's messages (proxy_wire.h). A
 * cursor latches the first error, so each kind's body is a straight list
 * of fields, the same list for encoding and decoding (the `fields` table
 * below); the decoder then checks the bounds of what it read. Every
 * integer goes through frame_put/get_*, byte by byte, so nothing here
 * depends on the host's byte order or word size.
 */
#include <string.h>

#include <remote/frame.h>

#include "proxy_wire.h"

/* What a kind's body holds, in order after the header. */
enum {
	F_REF = 1,
	F_STATUS = 2,
	F_CAPS = 4,
	F_DATA = 8,
	F_COUNT = 16,
	F_DS = 32
};

static const struct {
	unsigned fields;
	uint32_t data_max;
} kinds[] = {
	[PROXY_OPEN] = { F_DATA, PROXY_ARGS_MAX },
	[PROXY_OPENED] = { F_STATUS | F_REF | F_DATA, PROXY_WHY_MAX },
	[PROXY_CALL] = { F_REF | F_CAPS | F_DATA, PROXY_DATA_MAX },
	[PROXY_REPLY] = { F_STATUS | F_CAPS | F_DATA, PROXY_DATA_MAX },
	[PROXY_SIGNAL] = { F_REF | F_COUNT, 0 },
	[PROXY_DS] = { F_REF | F_DS | F_DATA, PROXY_DS_CHUNK },
	[PROXY_CLOSE] = { 0, 0 },
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

_Static_assert(PROXY_MSG_MAX == FRAME_PAYLOAD_MAX,
               "one message, one link message");
_Static_assert(PROXY_HEADER_BYTES + PROXY_REF_BYTES + 4 +
                               PROXY_CAPS_MAX * PROXY_CAP_BYTES + 4 +
                               PROXY_DATA_MAX <=
                       PROXY_MSG_MAX,
               "a full CALL fits a message");
_Static_assert(PROXY_HEADER_BYTES + PROXY_REF_BYTES + 12 + PROXY_DS_CHUNK <=
                       PROXY_MSG_MAX,
               "a DS chunk fits a message");

struct cursor {
	uint8_t *out;      /* encoding */
	const uint8_t *in; /* decoding */
	size_t size, pos;
	int bad;
};

static void put32(struct cursor *c, uint32_t v)
{
	if (c->bad || c->size - c->pos < 4) {
		c->bad = 1;
		return;
	}
	frame_put_u32(c->out + c->pos, v);
	c->pos += 4;
}

static void put64(struct cursor *c, uint64_t v)
{
	if (c->bad || c->size - c->pos < 8) {
		c->bad = 1;
		return;
	}
	frame_put_u64(c->out + c->pos, v);
	c->pos += 8;
}

static uint32_t get32(struct cursor *c)
{
	if (c->bad || c->size - c->pos < 4) {
		c->bad = 1;
		return 0;
	}
	c->pos += 4;
	return frame_get_u32(c->in + c->pos - 4);
}

static uint64_t get64(struct cursor *c)
{
	if (c->bad || c->size - c->pos < 8) {
		c->bad = 1;
		return 0;
	}
	c->pos += 8;
	return frame_get_u64(c->in + c->pos - 8);
}

static int known_kind(uint32_t kind)
{
	return kind > 0 && kind < KIND_COUNT;
}

long proxy_encode(const struct proxy_msg *m, uint8_t *out)
{
	struct cursor c = { .out = out, .size = PROXY_MSG_MAX };
	unsigned f;
	if (!known_kind(m->kind))
		return PROXY_UNKNOWN_KIND;
	f = kinds[m->kind].fields;
	if (((f & F_DATA) && m->len > kinds[m->kind].data_max) ||
	    ((f & F_CAPS) && m->cap_count > PROXY_CAPS_MAX))
		return PROXY_BAD_LENGTH;
	put32(&c, m->kind);
	put32(&c, m->tag);
	put32(&c, m->session);
	if (f & F_STATUS)
		put32(&c, (uint32_t)m->status);
	if (f & F_REF) {
		put32(&c, m->ref.slot);
		put64(&c, m->ref.nonce);
	}
	if (f & F_COUNT)
		put32(&c, m->count);
	if (f & F_DS) {
		put32(&c, m->size);
		put32(&c, m->offset);
	}
	if (f & F_CAPS) {
		put32(&c, m->cap_count);
		for (uint32_t i = 0; i < m->cap_count; i++) {
			put32(&c, m->caps[i].kind);
			put32(&c, m->caps[i].ref.slot);
			put64(&c, m->caps[i].ref.nonce);
			put32(&c, m->caps[i].size);
		}
	}
	if (f & F_DATA) {
		put32(&c, m->len);
		if (!c.bad && m->len > c.size - c.pos)
			c.bad = 1;
		if (!c.bad && m->len) {
			memcpy(out + c.pos, m->data, m->len);
			c.pos += m->len;
		}
	}
	return c.bad ? PROXY_BAD_LENGTH : (long)c.pos;
}

/* Reads the capability array; checks each entry's kind and size. */
static enum proxy_status get_caps(struct cursor *c, struct proxy_msg *m)
{
	m->cap_count = get32(c);
	if (!c->bad && m->cap_count > PROXY_CAPS_MAX)
		return PROXY_BAD_LENGTH;
	for (uint32_t i = 0; i < m->cap_count && !c->bad; i++) {
		struct proxy_cap *k = &m->caps[i];
		k->kind = get32(c);
		k->ref.slot = get32(c);
		k->ref.nonce = get64(c);
		k->size = get32(c);
		if (c->bad)
			break;
		if (k->kind > PROXY_CAP_YOURS)
			return PROXY_BAD_CAP;
		if (k->kind == PROXY_CAP_MEMORY
		            ? k->size == 0 || k->size > PROXY_DS_MAX
		            : k->size != 0)
			return PROXY_BAD_CAP;
	}
	return PROXY_OK;
}

enum proxy_status proxy_decode(const uint8_t *buf, size_t len,
                               struct proxy_msg *m)
{
	struct cursor c = { .in = buf, .size = len };
	enum proxy_status st;
	unsigned f;
	memset(m, 0, sizeof *m);
	m->kind = get32(&c);
	m->tag = get32(&c);
	m->session = get32(&c);
	if (c.bad)
		return PROXY_TRUNCATED;
	if (!known_kind(m->kind))
		return PROXY_UNKNOWN_KIND;
	f = kinds[m->kind].fields;
	if (f & F_STATUS)
		m->status = (int32_t)get32(&c);
	if (f & F_REF) {
		m->ref.slot = get32(&c);
		m->ref.nonce = get64(&c);
	}
	if (f & F_COUNT)
		m->count = get32(&c);
	if (f & F_DS) {
		m->size = get32(&c);
		m->offset = get32(&c);
	}
	if ((f & F_CAPS) && (st = get_caps(&c, m)) != PROXY_OK)
		return st;
	if (f & F_DATA) {
		m->len = get32(&c);
		if (!c.bad && m->len > kinds[m->kind].data_max)
			return PROXY_BAD_LENGTH;
		if (!c.bad && m->len > len - c.pos)
			return PROXY_TRUNCATED;
		if (!c.bad) {
			m->data = buf + c.pos;
			c.pos += m->len;
		}
	}
	if (c.bad)
		return PROXY_TRUNCATED;
	if (c.pos != len)
		return PROXY_TRAILING;
	if ((f & F_COUNT) && m->count == 0)
		return PROXY_BAD_COUNT;
	if ((f & F_DS) && (m->size == 0 || m->size > PROXY_DS_MAX ||
	                   m->offset > m->size || m->len > m->size - m->offset))
		return PROXY_BAD_RANGE;
	return PROXY_OK;
}

const char *proxy_strerror(enum proxy_status status)
{
	switch (status) {
	case PROXY_OK:
		return "no error";
	case PROXY_TRUNCATED:
		return "message shorter than its fields say";
	case PROXY_UNKNOWN_KIND:
		return "unknown message kind";
	case PROXY_BAD_LENGTH:
		return "a length beyond its bound";
	case PROXY_BAD_CAP:
		return "a capability of unknown kind or wrong size";
	case PROXY_BAD_RANGE:
		return "a dataspace chunk outside its dataspace";
	case PROXY_BAD_COUNT:
		return "a signal of no submits";
	case PROXY_TRAILING:
		return "bytes after the last field";
	}
	return "unknown proxy status";
}
