# The bench programs of `make bench` (tests/bench/run runs them): RPC and
# signals against a raw socketpair baseline. rpc_bench reuses the counter
# server and process helpers of the RPC tests.
$(call bench_program,rpc_bench,tests/bench/rpc_bench.c \
    tests/unit/rpc/counter_server.c tests/unit/rpc/test_proc.c \
    $(call rpc_source,counter),runtime,)
$(call objects_of,tests/bench/rpc_bench.c): INCLUDES += -Itests/unit/rpc
$(call objects_of,tests/bench/rpc_bench.c): $(O)/gen/counter_rpc.h
# Spawning and sessions: fork+exec of a static binary as the baseline,
# kpd_create of it, core starting pkg/hello, a session through init's
# parent against a null RPC.
# The static binary is data for the bench, not a bench: it lives outside
# build/release/bench, which tests/bench/run runs one by one.
ifeq ($(VARIANT),release)
BENCH_EXIT_STATIC := $(O)/bench-data/exit-static
$(BENCH_EXIT_STATIC): tests/bench/exit_static.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) -std=c17 -O2 -static-pie -o $@ $<
ALL_TARGETS += $(BENCH_EXIT_STATIC)
endif
$(call bench_program,spawn_bench,tests/bench/spawn_bench.c,\
    core_services runtime kernel_pd,)
$(call objects_of,tests/bench/spawn_bench.c): \
    $(addprefix $(O)/gen/,parent_rpc.h pd_rpc.h)
# The measuring program of the pkg bench (tests/bench/pkg_bench.sh runs it
# on a target booted from a depot, with arguments): data for a bench like
# exit-static, so outside build/release/bench. A host program.
ifeq ($(VARIANT),release)
$(eval $(call binary_template,pkg-bench,tests/bench/pkg_bench.c,,,bench-data,))
endif
# Parse time against input size of the parsers of untrusted input: the
# depot's, libformat's and the kernel's wire_recv (a private header of
# kernel/linux, hence its folder on the include path).
$(call bench_program,parse_bench,tests/bench/parse_bench.c,tuf depot format kernel,)
$(call objects_of,tests/bench/parse_bench.c): INCLUDES += -iquote kernel/linux
# The remote bench (tests/bench/remote_bench.sh): its host tool (raw TCP
# baselines, the ROM writer) as data, and the component that receives the
# remote ROM's versions and logs their delay.
ifeq ($(VARIANT),release)
$(eval $(call binary_template,remote-bench,tests/bench/remote_bench.c,,,bench-data,))
endif
$(call program,remote-bench-reader,tests/bench/remote_bench_reader.c,runtime,)
$(call program,remote-bench-rpc,tests/bench/remote_bench_rpc.c \
    $(call rpc_source,counter_session),runtime,-lcjson)
