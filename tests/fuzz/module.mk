# Fuzz targets (built only in build/fuzz with clang + libFuzzer). The
# run-suite script runs each for a bounded time from its seed corpus in
# tests/fuzz/corpus/<target>/.
$(call fuzz_target,tuf-metadata,tests/fuzz/fuzz_tuf_metadata.c,tuf,)
$(call fuzz_target,tuf-canonical,tests/fuzz/fuzz_tuf_canonical.c,tuf,)
# The kernel's message decoding on Linux (wire_recv, wire_recv_fd): wire.h
# is private to kernel/linux, hence its folder on the include path.
$(call fuzz_target,kernel_wire_fuzz,tests/fuzz/kernel_wire_fuzz.c,kernel,)
$(call objects_of,tests/fuzz/kernel_wire_fuzz.c): INCLUDES += -iquote kernel/linux
