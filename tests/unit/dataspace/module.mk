# Tests of libruntime's attached dataspace (runtime/dataspace.h), with the
# fake PD of tests/unit/child paying for allocations.
DATASPACE_TEST_SOURCES := tests/unit/dataspace/dataspace_test.c \
    tests/unit/child/fakes.c
$(call unit_test,runtime_dataspace,$(DATASPACE_TEST_SOURCES),runtime,)
$(call objects_of,tests/unit/dataspace/dataspace_test.c): \
    INCLUDES += -iquote tests/unit/child
