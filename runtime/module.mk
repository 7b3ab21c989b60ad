# libruntime: the API every component links. Each area of it (util, alloc,
# thread, rpc, signal, region, ...) lists its sources in its own
# runtime/<area>/sources.mk by adding to RUNTIME_SOURCES; this file makes the
# one library of them. Public headers live in runtime/include/runtime/.
RUNTIME_SOURCES :=
include $(wildcard runtime/*/sources.mk)
$(call library,runtime,$(RUNTIME_SOURCES),runtime/include,kernel grow hex,)
