# libruntime's one error space (runtime/error.h): disjoint ranges, words of
# their own for every code.
$(call unit_test,portable_error,tests/unit/error/error_test.c,runtime,)
