# The attached dataspace (runtime/dataspace.h): allocate or open, attach,
# detach, release.
RUNTIME_SOURCES += runtime/dataspace/dataspace.c
