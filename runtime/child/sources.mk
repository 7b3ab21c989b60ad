# Child management of libruntime (runtime/child.h, runtime/service.h): the
# service registry, the parent object served per child, the session broker,
# the child's life cycle and what a parent can tell of its children
# (inspect.c). Its sources include generated stub headers,
# so their objects wait for them.
CHILD_SOURCES := $(addprefix runtime/child/,\
    service.c broker.c parent_object.c child.c parent_host.c reroute.c \
    route_args.c inspect.c)
RUNTIME_SOURCES += $(CHILD_SOURCES)
$(call objects_of,$(CHILD_SOURCES)): \
    $(foreach i,cpu parent pd rom root,$(O)/gen/$(i)_rpc.h)
