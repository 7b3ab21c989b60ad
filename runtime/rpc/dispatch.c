/*
 * The server side of one RPC, in the decode/invoke shape: decode checks the
 * whole request against the interface descriptor and changes nothing; only
 * a request that passed is handed to the object's operation (through the
 * invoke function rpcgen generated); its outputs are encoded into the
 * reply. A hostile or truncated request gets an error reply, never a crash.
 * The entrypoint (entrypoint.c) calls this for every request it receives.
 * What decode promises (the invariants of a decoded message, rpc.h) is
 * asserted before the invoke step relies on it.
 */
#include <string.h>

#include <runtime/invariant.h>
#include <runtime/rpc.h>

void rpc_release_caps(kmsg_t *msg)
{
	for (uint32_t i = 0; i < msg->cap_count && i < KMSG_MAX_CAPS; i++)
		kcap_close(msg->caps[i]);
	msg->cap_count = 0;
}

/* Points each out-value at its share of the frame's output storage: a
 * string gets max + 1 bytes, bytes get max. rpcgen keeps the sum of the
 * bounds of a function within one message, so this fits; a descriptor
 * written otherwise that does not fit is refused (-1), never overrun. */
static int prepare_outputs(const rpc_func_desc_t *f, rpc_frame_t *frame)
{
	uint32_t pos = 0;
	for (uint32_t i = 0; i < f->out_count; i++) {
		rpc_value_t *v = &frame->out[i];
		memset(v, 0, sizeof *v);
		v->cap = KCAP_INVALID;
		if (f->out[i].type != RPC_STRING && f->out[i].type != RPC_BYTES)
			continue;
		if (f->out[i].max >= sizeof frame->out_store - pos)
			return -1;
		v->buf = frame->out_store + pos;
		pos += f->out[i].max + 1;
		if (f->out[i].type == RPC_STRING)
			((char *)v->buf)[0] = 0;
	}
	return 0;
}

/* Out-strings are read back from their buffers; bytes keep their len. */
static void collect_outputs(const rpc_func_desc_t *f, rpc_frame_t *frame)
{
	for (uint32_t i = 0; i < f->out_count; i++)
		if (f->out[i].type == RPC_STRING || f->out[i].type == RPC_BYTES)
			frame->out[i].data = frame->out[i].buf;
}

/* For INVARIANT: every in-value of a decoded request within its declared
 * bound, every string NUL-free up to its length and NUL-terminated there. */
static bool decoded(const rpc_func_desc_t *f, const rpc_value_t *in)
{
	if (f->in_count > RPC_MAX_ARGS)
		return false;
	for (uint32_t i = 0; i < f->in_count; i++) {
		const rpc_value_t *v = &in[i];
		if ((f->in[i].type == RPC_STRING ||
		     f->in[i].type == RPC_BYTES) &&
		    v->len > f->in[i].max)
			return false;
		if (f->in[i].type == RPC_STRING && strlen(v->data) != v->len)
			return false;
	}
	return true;
}

void rpc_dispatch(rpc_object_t *obj, const kmsg_t *request, kmsg_t *reply,
                  rpc_frame_t *frame)
{
	const rpc_interface_t *iface = obj->iface;
	const rpc_func_desc_t *f = NULL;
	int status;

	status = rpc_request_decode(iface, request, &f, frame->in,
	                            frame->in_text);
	if (status) {
		rpc_reply_encode(NULL, (uint32_t)status, NULL, reply);
		return;
	}
	INVARIANT(decoded(f, frame->in));
	if (f->out_count > RPC_MAX_ARGS || prepare_outputs(f, frame)) {
		rpc_reply_encode(f, RPC_ERR_SERVER, NULL, reply);
		return;
	}
	status = iface->invoke(obj->ops, obj, f->opcode, frame->in, frame->out);
	if (status != RPC_ERR_INVALID_OPCODE &&
	    (status < 0 || (uint32_t)status > iface->error_count))
		status = RPC_ERR_SERVER;
	collect_outputs(f, frame);
	if (rpc_reply_encode(f, (uint32_t)status, frame->out, reply))
		rpc_reply_encode(f, RPC_ERR_SERVER, NULL, reply);
}
