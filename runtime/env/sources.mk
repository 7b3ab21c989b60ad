# Component start-up of libruntime (runtime/include/runtime/env.h): main(),
# the environment sessions, the session protocol, the heap, LOG and ROM
# helpers.
RUNTIME_SOURCES += $(addprefix runtime/env/,\
    start.c session.c connection.c serve.c log.c rom.c heap.c main.c \
    heartbeat.c resource.c)
# Their objects include generated session headers: make sure those exist
# first in a parallel build from scratch.
$(call objects_of,$(addprefix runtime/env/,start.c session.c connection.c serve.c log.c rom.c \
    heap.c heartbeat.c resource.c)): $(addprefix $(O)/gen/,parent_rpc.h pd_rpc.h cpu_rpc.h \
    log_rpc.h rom_rpc.h)
