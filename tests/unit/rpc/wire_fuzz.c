/*
 * Fuzz target of the RPC wire format (runtime/rpc/rpc_wire.c): arbitrary bytes
 * as a request to, and as a reply from, every function of counter.rpc.
 * Decode must never read outside the message or crash, whatever arrives;
 * a request that decodes must re-encode to the very same bytes.
 * The first input byte says how many capabilities the message carries (the
 * selectors are plain numbers here: decode only copies them).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "counter_rpc.h"

static kmsg_t msg_of(const uint8_t *data, size_t size)
{
	kmsg_t msg = { .cap_count = size ? data[0] % (KMSG_MAX_CAPS + 1) : 0 };
	if (size)
		data++, size--;
	if (size > KMSG_MAX_BYTES)
		size = KMSG_MAX_BYTES;
	memcpy(msg.data, data, size);
	msg.size = (uint32_t)size;
	for (uint32_t i = 0; i < msg.cap_count; i++)
		msg.caps[i] = (kcap_t){ (int32_t)(100 + i) };
	return msg;
}

static void check_request(const kmsg_t *msg)
{
	static uint8_t text[RPC_TEXT_BYTES];
	static kmsg_t again;
	rpc_value_t in[RPC_MAX_ARGS];
	const rpc_func_desc_t *f;
	if (rpc_request_decode(&counter_rpc, msg, &f, in, text))
		return;
	if (rpc_request_encode(&counter_rpc, f, in, &again) ||
	    again.size != msg->size || again.cap_count != msg->cap_count ||
	    memcmp(again.data, msg->data, msg->size) != 0)
		__builtin_trap();
}

static void check_replies(const kmsg_t *msg)
{
	static char strings[RPC_MAX_ARGS][KMSG_MAX_BYTES + 1];
	for (uint32_t op = 0; op < counter_rpc.func_count; op++) {
		rpc_value_t out[RPC_MAX_ARGS];
		for (uint32_t i = 0; i < RPC_MAX_ARGS; i++)
			out[i] = (rpc_value_t){ .buf = strings[i] };
		rpc_reply_decode(&counter_rpc, &counter_rpc.funcs[op], msg,
		                 out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kmsg_t msg = msg_of(data, size);
	check_request(&msg);
	check_replies(&msg);
	return 0;
}
