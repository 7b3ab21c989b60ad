# Unit test of lib/hex, bytes as hexadecimal text and back, cmocka under
# ASan/UBSan; it links libhex alone.
$(call unit_test,portable_hex,tests/unit/hex/test_hex.c,hex,)
