# libruntime's allocators: the allocator interface and C heap, slab,
# best-fit range allocator, its locked form, quota guard.
RUNTIME_SOURCES += $(addprefix runtime/alloc/, \
    libc_heap.c slab.c range_alloc.c synced_range_alloc.c quota_guard.c)
