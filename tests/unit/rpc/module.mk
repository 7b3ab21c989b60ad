# Tests of libruntime's RPC: wire format (byte for byte, hostile input),
# rpcgen's parser, the entrypoint in one process, and the multi-process
# tests of stubs and server, all on the example interface counter.rpc.
RPC_TEST_HELPERS := tests/unit/rpc/counter_server.c tests/unit/rpc/test_proc.c \
                    $(call rpc_source,counter)

$(call rpc_interface,counter,tests/unit/rpc/counter.rpc)

$(call unit_test,rpc_wire,tests/unit/rpc/wire_test.c \
    $(call rpc_source,counter),runtime,)
$(call unit_test,rpc_calls,tests/unit/rpc/rpc_test.c $(RPC_TEST_HELPERS),\
    runtime,)
$(call unit_test,rpc_malformed,tests/unit/rpc/malformed_test.c \
    $(RPC_TEST_HELPERS),runtime,)
$(call unit_test,rpc_entrypoint,tests/unit/rpc/entrypoint_test.c \
    tests/unit/rpc/counter_server.c $(call rpc_source,counter),runtime,)

$(call unit_test,rpc_dispatch,tests/unit/rpc/dispatch_test.c,runtime,)

$(call unit_test,rpcgen,tests/unit/rpc/rpcgen_test.c \
    runtime/rpc/rpcgen/idl.c,runtime,)
$(call objects_of,tests/unit/rpc/rpcgen_test.c): INCLUDES += -Iruntime/rpc/rpcgen

$(call fuzz_target,rpc_wire_fuzz,tests/unit/rpc/wire_fuzz.c \
    $(call rpc_source,counter),runtime,)
