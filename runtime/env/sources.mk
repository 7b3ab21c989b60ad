# Component start-up of libruntime (runtime/include/runtime/env.h): main(),
# the environment sessions, the session protocol, the heap, LOG and ROM
# helpers.
RUNTIME_SOURCES += $(addprefix runtime/env/,\
    start.c session.c connection.c serve.c log.c rom.c heap.c main.c \
    heartbeat.c resource.c yield.c)
