/*
 * The RPC wire format (described at the top of runtime/rpc.h): encoding and
 * decoding of requests and replies, driven by the interface descriptor that
 * rpcgen generates. Pure code over kmsg_t: no kernel calls, so it is tested
 * byte for byte without a kernel. Decoding checks every bound and every
 * length before it reports success and never reads outside the message.
 */
#include <string.h>

#include <runtime/rpc.h>

/* A cursor over the data of a message. `bad` latches the first error. */
struct cursor {
	uint8_t *data;     /* writer */
	const uint8_t *in; /* reader */
	uint32_t size;
	uint32_t pos;
	bool bad;
};

static void put(struct cursor *c, uint64_t value, unsigned width)
{
	if (c->bad || width > c->size - c->pos) {
		c->bad = true;
		return;
	}
	for (unsigned i = 0; i < width; i++)
		c->data[c->pos + i] = (uint8_t)(value >> (8 * i));
	c->pos += width;
}

static void put_bytes(struct cursor *c, const void *bytes, uint32_t len)
{
	if (c->bad || len > c->size - c->pos) {
		c->bad = true;
		return;
	}
	if (len)
		memcpy(c->data + c->pos, bytes, len);
	c->pos += len;
}

static uint64_t get(struct cursor *c, unsigned width)
{
	uint64_t value = 0;
	if (c->bad || width > c->size - c->pos) {
		c->bad = true;
		return 0;
	}
	for (unsigned i = 0; i < width; i++)
		value |= (uint64_t)c->in[c->pos + i] << (8 * i);
	c->pos += width;
	return value;
}

/* Returns a pointer to the next `len` bytes and skips them, or NULL. */
static const uint8_t *get_bytes(struct cursor *c, uint32_t len)
{
	const uint8_t *p;
	if (c->bad || len > c->size - c->pos) {
		c->bad = true;
		return NULL;
	}
	p = c->in + c->pos;
	c->pos += len;
	return p;
}

static unsigned scalar_width(enum rpc_type type)
{
	switch (type) {
	case RPC_U8:
	case RPC_BOOL:
		return 1;
	case RPC_U16:
		return 2;
	case RPC_U32:
	case RPC_I32:
		return 4;
	case RPC_U64:
	case RPC_I64:
		return 8;
	default:
		return 0;
	}
}

uint32_t rpc_arg_max_bytes(const rpc_arg_desc_t *arg)
{
	switch (arg->type) {
	case RPC_STRING:
	case RPC_BYTES:
		return 4 + arg->max;
	case RPC_CAP:
		return 4;
	default:
		return scalar_width(arg->type);
	}
}

/* Whether `num` fits the declared type (so nothing is cut off silently). */
static bool scalar_fits(enum rpc_type type, uint64_t num)
{
	switch (type) {
	case RPC_U8:
		return num <= UINT8_MAX;
	case RPC_U16:
		return num <= UINT16_MAX;
	case RPC_U32:
		return num <= UINT32_MAX;
	case RPC_BOOL:
		return num <= 1;
	case RPC_I32: {
		int64_t s = (int64_t)num;
		return s >= INT32_MIN && s <= INT32_MAX;
	}
	default:
		return true;
	}
}

/* Encodes values of `args` into c, appending capabilities to msg. */
static void encode_values(struct cursor *c, const rpc_arg_desc_t *args,
                          uint32_t count, const rpc_value_t *v, kmsg_t *msg)
{
	for (uint32_t i = 0; i < count && !c->bad; i++) {
		const rpc_arg_desc_t *a = &args[i];
		uint32_t len;
		switch (a->type) {
		case RPC_STRING:
			len = v[i].data
			              ? (uint32_t)strnlen(v[i].data, a->max + 1)
			              : 0;
			if (len > a->max) {
				c->bad = true;
				break;
			}
			put(c, len, 4);
			put_bytes(c, v[i].data, len);
			break;
		case RPC_BYTES:
			if (v[i].len > a->max || (v[i].len && !v[i].data)) {
				c->bad = true;
				break;
			}
			put(c, v[i].len, 4);
			put_bytes(c, v[i].data, v[i].len);
			break;
		case RPC_CAP:
			if (!kcap_valid(v[i].cap)) {
				put(c, RPC_CAP_NONE, 4);
				break;
			}
			if (msg->cap_count >= KMSG_MAX_CAPS) {
				c->bad = true;
				break;
			}
			put(c, msg->cap_count, 4);
			msg->caps[msg->cap_count++] = v[i].cap;
			break;
		default:
			if (!scalar_fits(a->type, v[i].num))
				c->bad = true;
			else
				put(c, v[i].num, scalar_width(a->type));
			break;
		}
	}
}

static void sign_extend_i32(rpc_value_t *v)
{
	v->num = (uint64_t)(int64_t)(int32_t)(uint32_t)v->num;
}

/*
 * Decodes values of `args` from c. Strings: with `text` they are copied
 * there (decoding a request), otherwise into each value's buf (decoding a
 * reply) if `store` is set; bytes: pointed to in the message, or copied
 * into buf if `store` is set (a first pass without it checks the reply, so
 * that the caller's buffers stay untouched when it is rejected).
 * Capabilities are taken from msg in index order; *caps_used counts them.
 */
static void decode_values(struct cursor *c, const rpc_arg_desc_t *args,
                          uint32_t count, rpc_value_t *v, const kmsg_t *msg,
                          uint8_t *text, bool store, uint32_t *caps_used)
{
	uint32_t text_pos = 0;
	for (uint32_t i = 0; i < count && !c->bad; i++) {
		const rpc_arg_desc_t *a = &args[i];
		const uint8_t *bytes;
		uint32_t len, index;
		switch (a->type) {
		case RPC_STRING:
			len = (uint32_t)get(c, 4);
			bytes = get_bytes(c, len);
			if (c->bad || len > a->max || memchr(bytes, 0, len)) {
				c->bad = true;
				break;
			}
			if (text) {
				v[i].data = text + text_pos;
				memcpy(text + text_pos, bytes, len);
				text[text_pos + len] = 0;
				text_pos += len + 1;
			} else if (store) {
				memcpy(v[i].buf, bytes, len);
				((char *)v[i].buf)[len] = 0;
			}
			v[i].len = len;
			break;
		case RPC_BYTES:
			len = (uint32_t)get(c, 4);
			bytes = get_bytes(c, len);
			if (c->bad || len > a->max) {
				c->bad = true;
				break;
			}
			if (text)
				v[i].data = bytes;
			else if (store && len)
				memcpy(v[i].buf, bytes, len);
			v[i].len = len;
			break;
		case RPC_CAP:
			index = (uint32_t)get(c, 4);
			if (index == RPC_CAP_NONE) {
				v[i].cap = KCAP_INVALID;
				break;
			}
			if (index != *caps_used || index >= msg->cap_count) {
				c->bad = true;
				break;
			}
			v[i].cap = msg->caps[index];
			(*caps_used)++;
			break;
		default:
			v[i].num = get(c, scalar_width(a->type));
			if (a->type == RPC_I32)
				sign_extend_i32(&v[i]);
			if (a->type == RPC_BOOL && v[i].num > 1)
				c->bad = true;
			break;
		}
	}
}

int rpc_request_encode(const rpc_interface_t *iface, const rpc_func_desc_t *f,
                       const rpc_value_t *in, kmsg_t *msg)
{
	/* msg is written, never read: callers pass it uninitialised */
	// cppcheck-suppress ctuuninitvar
	struct cursor c = { .data = msg->data, .size = KMSG_MAX_BYTES };
	msg->cap_count = 0;
	put(&c, iface->id, 4);
	put(&c, f->opcode, 4);
	encode_values(&c, f->in, f->in_count, in, msg);
	msg->size = c.pos;
	return c.bad ? RPC_ERR_BAD_ARGUMENT : 0;
}

int rpc_request_decode(const rpc_interface_t *iface, const kmsg_t *msg,
                       const rpc_func_desc_t **f, rpc_value_t *in,
                       uint8_t text[RPC_TEXT_BYTES])
{
	struct cursor c = { .in = msg->data, .size = msg->size };
	uint32_t id, opcode, caps_used = 0;

	if (msg->size > KMSG_MAX_BYTES || msg->cap_count > KMSG_MAX_CAPS)
		return RPC_ERR_MALFORMED_REQUEST;
	id = (uint32_t)get(&c, 4);
	opcode = (uint32_t)get(&c, 4);
	if (c.bad)
		return RPC_ERR_MALFORMED_REQUEST;
	if (id != iface->id)
		return RPC_ERR_WRONG_INTERFACE;
	if (opcode >= iface->func_count)
		return RPC_ERR_INVALID_OPCODE;
	if (iface->funcs[opcode].in_count > RPC_MAX_ARGS)
		return RPC_ERR_SERVER; /* a descriptor rpcgen would not write */
	decode_values(&c, iface->funcs[opcode].in,
	              iface->funcs[opcode].in_count, in, msg, text, false,
	              &caps_used);
	if (c.bad || c.pos != c.size || caps_used != msg->cap_count)
		return RPC_ERR_MALFORMED_REQUEST;
	*f = &iface->funcs[opcode];
	return 0;
}

int rpc_reply_encode(const rpc_func_desc_t *f, uint32_t status,
                     const rpc_value_t *out, kmsg_t *msg)
{
	struct cursor c = { .data = msg->data, .size = KMSG_MAX_BYTES };
	msg->cap_count = 0;
	put(&c, status, 4);
	if (status == 0)
		encode_values(&c, f->out, f->out_count, out, msg);
	msg->size = c.pos;
	return c.bad ? RPC_ERR_SERVER : 0;
}

/* Whether a reply status is one a server may send. */
static bool status_known(const rpc_interface_t *iface, uint32_t status)
{
	return status <= iface->error_count ||
	       (status >= RPC_ERR_WRONG_INTERFACE && status <= RPC_ERR_SERVER);
}

int rpc_reply_decode(const rpc_interface_t *iface, const rpc_func_desc_t *f,
                     const kmsg_t *msg, rpc_value_t *out)
{
	struct cursor c = { .in = msg->data, .size = msg->size };
	uint32_t status, caps_used = 0;

	if (msg->size > KMSG_MAX_BYTES || msg->cap_count > KMSG_MAX_CAPS)
		return RPC_ERR_MALFORMED_REPLY;
	status = (uint32_t)get(&c, 4);
	if (c.bad || !status_known(iface, status))
		return RPC_ERR_MALFORMED_REPLY;
	if (status == 0)
		decode_values(&c, f->out, f->out_count, out, msg, NULL, false,
		              &caps_used);
	if (c.bad || c.pos != c.size || caps_used != msg->cap_count)
		return RPC_ERR_MALFORMED_REPLY;
	if (status == 0) {
		struct cursor again = { .in = msg->data,
			                .size = msg->size,
			                .pos = RPC_REPLY_HEADER_BYTES };
		caps_used = 0;
		decode_values(&again, f->out, f->out_count, out, msg, NULL,
		              true, &caps_used);
	}
	return (int)status;
}
