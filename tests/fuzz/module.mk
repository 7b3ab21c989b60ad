# Fuzz targets (built only in build/fuzz with clang + libFuzzer). The
# run-suite script runs each for a bounded time from its seed corpus in
# tests/fuzz/corpus/<target>/.
$(call fuzz_target,tuf-metadata,tests/fuzz/fuzz_tuf_metadata.c,tuf,)
$(call fuzz_target,tuf-canonical,tests/fuzz/fuzz_tuf_canonical.c,tuf,)
