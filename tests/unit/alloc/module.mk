# Unit tests of libruntime's allocators (runtime/alloc/), cmocka under
# ASan/UBSan.
$(call unit_test,alloc_slab,tests/unit/alloc/test_slab.c tests/unit/alloc/test_backing.c,runtime,)
$(call unit_test,alloc_range,tests/unit/alloc/test_range_alloc.c tests/unit/alloc/test_backing.c,runtime,)
$(call unit_test,alloc_quota_guard,tests/unit/alloc/test_quota_guard.c tests/unit/alloc/test_backing.c,runtime,)
$(call unit_test,alloc_synced_range,tests/unit/alloc/test_synced_range_alloc.c,runtime,)
