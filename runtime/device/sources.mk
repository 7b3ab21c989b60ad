# Drivers' side of core's device services (runtime/irq_connection.h,
# runtime/io_mem_connection.h).
RUNTIME_SOURCES += $(addprefix runtime/device/,irq_connection.c io_mem_connection.c)
