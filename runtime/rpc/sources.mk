# RPC of libruntime: wire format, client call, server dispatch, entrypoint.
# The IDL code generator (runtime/rpc/rpcgen/) is a host tool built by
# mk/rpc.mk, not part of the library.
RUNTIME_SOURCES += $(addprefix runtime/rpc/,\
    rpc_wire.c call.c dispatch.c entrypoint.c)
