# libruntime's region map: attaching dataspaces into a reserved range of
# the address space.
RUNTIME_SOURCES += runtime/region/region_map.c
