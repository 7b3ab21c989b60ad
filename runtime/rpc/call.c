/*
 * The client side of an RPC: encode the request from the descriptor, call
 * the kernel, decode the reply. The typed stubs that rpcgen generates are
 * thin wrappers around rpc_call(). Also the words for an interface's
 * declared errors (rpc_strerror); runtime_strerror() says the rest.
 */
#include <runtime/rpc.h>

#include <runtime/error.h>

int rpc_call(kcap_t cap, const rpc_interface_t *iface, uint32_t opcode,
             const rpc_value_t *in, rpc_value_t *out)
{
	return rpc_call_timeout(cap, iface, opcode, in, out, -1);
}

int rpc_call_timeout(kcap_t cap, const rpc_interface_t *iface, uint32_t opcode,
                     const rpc_value_t *in, rpc_value_t *out, int timeout_ms)
{
	kmsg_t request, reply;
	int err;

	if (opcode >= iface->func_count)
		return RPC_ERR_INVALID_OPCODE;
	err = rpc_request_encode(iface, &iface->funcs[opcode], in, &request);
	if (err)
		return err;
	err = kipc_call(cap, &request, &reply, timeout_ms);
	if (err)
		return err;
	err = rpc_reply_decode(iface, &iface->funcs[opcode], &reply, out);
	if (err)
		rpc_release_caps(
			&reply); /* a rejected reply leaves nothing open */
	return err;
}

const char *rpc_strerror(const rpc_interface_t *iface, int status)
{
	if (status > 0 && (uint32_t)status <= RPC_MAX_ERRORS) {
		if (iface && (uint32_t)status <= iface->error_count)
			return iface->errors[status - 1].text;
		return "unknown rpc status";
	}
	return runtime_strerror(status);
}
