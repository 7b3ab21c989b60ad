# core: the root component (core/README.md). Its services are a library
# (core_services) so that the unit tests in tests/unit/core can serve them
# in-process; the program adds main.c. Only core links kernel_pd;
# libcrypto gives the SHA-256 of depot files (core/depot_rom.c), cJSON
# reads the network policy (core/net_policy.c).
CORE_SOURCES := $(addprefix core/,target.c \
    log_service.c report_service.c device_service.c pd_service.c config_watch.c \
    rom_service.c cpu_service.c rm_service.c services.c init_parent.c \
    on_entrypoint.c printable.c output_lines.c domain_output.c terminal_limit.c \
    archive_name.c manifest.c depot_index.c rom_request.c depot_rom.c \
    base_boot.c net_policy.c net_service.c irq_service.c io_mem_service.c)
$(call library,core_services,$(CORE_SOURCES),core,runtime kernel_pd,-lcrypto -lcjson)
$(call program,core,core/main.c,core_services runtime kernel_pd,)
# The generated session headers must exist before core's objects compile.
$(call objects_of,$(CORE_SOURCES) core/main.c): \
    $(foreach i,$(SESSION_INTERFACES),$(O)/gen/$(i)_rpc.h)
