# core: the root component (core/README.md, "One core, two platforms").
# Its services are a library (core_services) so that the unit tests in
# tests/unit/core can serve them in-process; the program adds main.c. Only
# core links kernel_pd; libcrypto gives the SHA-256 of depot files
# (core/depot_rom.c), cJSON reads the network policy (core/net_policy.c).
#
# CORE_SHARED_SOURCES are built for every platform (tests/riscv/module.mk
# cross-builds them for riscv with core/riscv/); the rest is linux's glue,
# whose core_platform.h is in core/linux/.
CORE_SHARED_SOURCES := $(addprefix core/,pd_service.c rom_service.c \
    cpu_service.c rm_service.c log_service.c services.c init_parent.c \
    on_entrypoint.c archive_name.c rom_request.c irq_service.c \
    io_mem_service.c device_service.c report_service.c \
    base_boot.c net_policy.c)
# How a log line is made and shown, one piece for both platforms: the
# printable rule, the line splitter of domain output (core on linux and on
# riscv) and the terminal's rate limit (core on linux; riscv-console on the
# host for riscv, kernel/riscv/module.mk).
CORE_LOG_SOURCES := $(addprefix core/,printable.c output_lines.c terminal_limit.c)
$(call library,core_log,$(CORE_LOG_SOURCES),core,runtime,)
CORE_LINUX_SOURCES := core/linux/platform.c $(addprefix core/,target.c \
    report_files.c config_watch.c \
    domain_output.c \
    manifest.c depot_index.c depot_index_rom.c depot_rom.c \
    net_address.c net_service.c)
CORE_SOURCES := $(CORE_SHARED_SOURCES) $(CORE_LINUX_SOURCES)
$(call library,core_services,$(CORE_SOURCES),core core/linux,core_log runtime kernel_pd,-lcrypto -lcjson)
$(call program,core,core/main.c,core_services runtime kernel_pd,)
# The generated session headers must exist before core's objects compile.
$(call objects_of,$(CORE_SOURCES) core/main.c): \
    $(foreach i,$(SESSION_INTERFACES),$(O)/gen/$(i)_rpc.h)
