# Component start-up of libruntime (runtime/include/runtime/env.h): main(),
# the environment sessions, the session protocol, the heap, LOG and ROM
# helpers, the session watch that reopens watched connections, and report
# connections.
RUNTIME_SOURCES += $(addprefix runtime/env/,\
    start.c session.c connection.c serve.c log.c rom.c heap.c main.c \
    heartbeat.c resource.c reconnect.c reconnect_rule.c \
    report_connection.c yield.c)
