# Stream capabilities as a component holds them (runtime/stream.h).
RUNTIME_SOURCES += runtime/stream/stream.c
