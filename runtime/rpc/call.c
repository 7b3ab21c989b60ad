/*
 * The client side of an RPC: encode the request from the descriptor, call
 * the kernel, decode the reply. The typed stubs that rpcgen generates are
 * thin wrappers around rpc_call(). Also the one place that turns any RPC
 * status into words (rpc_strerror).
 */
#include <runtime/rpc.h>

int rpc_call(kcap_t cap, const rpc_interface_t *iface, uint32_t opcode,
             const rpc_value_t *in, rpc_value_t *out)
{
	return rpc_call_timeout(cap, iface, opcode, in, out, -1);
}

int rpc_call_timeout(kcap_t cap, const rpc_interface_t *iface,
                     uint32_t opcode, const rpc_value_t *in,
                     rpc_value_t *out, int timeout_ms)
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
		rpc_release_caps(&reply);   /* a rejected reply leaves nothing open */
	return err;
}

static const char *generic_error(int status)
{
	switch (status) {
	case RPC_ERR_WRONG_INTERFACE:
		return "the capability names an object of another interface";
	case RPC_ERR_INVALID_OPCODE:
		return "the interface has no function with this opcode";
	case RPC_ERR_MALFORMED_REQUEST:
		return "the server rejected the request as malformed";
	case RPC_ERR_SERVER:
		return "the server's operation returned an undeclared error "
		       "or an output beyond its bound";
	case RPC_ERR_MALFORMED_REPLY:
		return "the reply of the server is malformed";
	case RPC_ERR_BAD_ARGUMENT:
		return "an argument exceeds the bound its interface declares";
	default:
		return NULL;
	}
}

const char *rpc_strerror(const rpc_interface_t *iface, int status)
{
	const char *text;
	if (status < 0)
		return kerr_str(status);
	if (status == 0)
		return "success";
	if (iface && (uint32_t)status <= iface->error_count)
		return iface->errors[status - 1].text;
	text = generic_error(status);
	return text ? text : "unknown rpc status";
}
