# The component's monotonic clock (runtime/clock.h).
RUNTIME_SOURCES += runtime/clock/clock.c
