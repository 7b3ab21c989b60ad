# Capabilities as a component holds them (runtime/cap.h).
RUNTIME_SOURCES += runtime/cap/cap.c
