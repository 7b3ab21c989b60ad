# Unit test of lib/grow, the doubling growth of arrays (grow/grow.h, which
# runtime/grow.h is), cmocka under ASan/UBSan; it links libgrow alone.
$(call unit_test,portable_grow,tests/unit/grow/test_grow.c,grow,)
