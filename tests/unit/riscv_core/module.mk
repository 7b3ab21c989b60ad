# Unit test of core on riscv's own SHA-256 (core/riscv/sha256.h), built
# for the host from the same source, cmocka under ASan/UBSan, against the
# FIPS 180-4 vectors and OpenSSL. The source goes into the test alone: on
# the host nothing else uses it.
$(call unit_test,rv_sha256,tests/unit/riscv_core/sha256_test.c \
    core/riscv/sha256.c,hex,-lcrypto)
$(call objects_of,tests/unit/riscv_core/sha256_test.c): INCLUDES += -Icore/riscv
