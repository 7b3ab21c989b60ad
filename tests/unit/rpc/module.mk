# Tests of libruntime's RPC: wire format (byte for byte, hostile input),
# rpcgen's parser, and the multi-process tests of entrypoint and stubs,
# all on the example interface counter.rpc.
$(call rpc_interface,counter,tests/unit/rpc/counter.rpc,\
    tests/unit/rpc/wire_test.c tests/unit/rpc/rpc_test.c \
    tests/unit/rpc/malformed_test.c tests/unit/rpc/counter_server.c)

$(call unit_test,rpc_wire,tests/unit/rpc/wire_test.c \
    $(call rpc_source,counter),runtime,)

$(call unit_test,rpcgen,tests/unit/rpc/rpcgen_test.c \
    runtime/rpc/rpcgen/idl.c,runtime,)
$(call objects_of,tests/unit/rpc/rpcgen_test.c): INCLUDES += -Iruntime/rpc/rpcgen
