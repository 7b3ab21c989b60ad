# The bench programs of `make bench` (tests/bench/run runs them): RPC and
# signals against a raw socketpair baseline. rpc_bench reuses the counter
# server and process helpers of the RPC tests.
$(call bench_program,rpc_bench,tests/bench/rpc_bench.c \
    tests/unit/rpc/counter_server.c tests/unit/rpc/test_proc.c \
    $(call rpc_source,counter),runtime,)
$(call objects_of,tests/bench/rpc_bench.c): INCLUDES += -Itests/unit/rpc
$(call objects_of,tests/bench/rpc_bench.c): $(O)/gen/counter_rpc.h
