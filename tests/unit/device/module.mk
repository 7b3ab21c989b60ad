# Core's IRQ and IO_MEM services (core/irq_service.c, io_mem_service.c)
# on the host, over a fake board (kdevice_* of the test itself, which the
# linker takes before the linux platform's, that denies everything): the
# policy and the decode of hostile arguments under the sanitizers.
$(call unit_test,device_services,tests/unit/device/device_services_test.c \
    core/irq_service.c core/io_mem_service.c,runtime,)
$(call objects_of,tests/unit/device/device_services_test.c core/irq_service.c \
    core/io_mem_service.c): $(O)/gen/irq_rpc.h $(O)/gen/io_mem_rpc.h $(O)/gen/root_rpc.h
$(call objects_of,tests/unit/device/device_services_test.c): INCLUDES += -iquote core
