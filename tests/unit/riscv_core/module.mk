# Unit test of core on riscv's own SHA-256 (core/riscv/sha256.h), built
# for the host from the same source, cmocka under ASan/UBSan, against the
# FIPS 180-4 vectors and OpenSSL.
$(call library,rvsha256,core/riscv/sha256.c,core/riscv,,)
$(call unit_test,rv_sha256,tests/unit/riscv_core/sha256_test.c,rvsha256 hex,-lcrypto)
