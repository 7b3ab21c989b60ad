# Unit tests of libruntime's region map (runtime/region/), cmocka under
# ASan/UBSan, on the kernel library's memory objects.
$(call unit_test,region_map,tests/unit/region/test_region_map.c,runtime,)
