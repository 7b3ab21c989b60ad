# Unit tests of core: the target directory (module names, the rest of the
# decode step being libruntime's, see tests/unit/root_component; log files), every service served
# in-process and called over RPC (the Report service in report_test.c),
# core's parent object for init, the Net service and its policy
# (net_test.c), and the capture of domains' stdout and
# stderr (output_lines, domain_output), the terminal's rate limit
# (terminal_limit); the pure parts of depot ROMs (archive names, ROM
# requests, hostile manifests, the index text) and depot files served from
# a real target (depot_rom_test.c); the framing of connections over a
# riscv net port (net_frame_test.c, core/net_frame.h, pure: no library).
CORE_TEST_FIXTURE := tests/unit/core/fixture.c
$(call unit_test,core_target,tests/unit/core/target_test.c,core_services runtime kernel_pd,)
$(call unit_test,core_services,tests/unit/core/services_test.c \
    tests/unit/pd/image.c $(CORE_TEST_FIXTURE),core_services runtime kernel_pd,)
$(call unit_test,core_parent,tests/unit/core/parent_test.c \
    $(CORE_TEST_FIXTURE),core_services runtime kernel_pd,)
$(call unit_test,core_report,tests/unit/core/report_test.c \
    $(CORE_TEST_FIXTURE),core_services runtime kernel_pd,)
$(call unit_test,core_output_lines,tests/unit/core/output_lines_test.c,\
    core_services runtime kernel_pd,)
$(call unit_test,core_terminal_limit,tests/unit/core/terminal_limit_test.c,\
    core_services runtime kernel_pd,)
$(call unit_test,core_domain_output,tests/unit/core/domain_output_test.c,\
    core_services runtime kernel_pd,)
$(call unit_test,core_depot_parse,tests/unit/core/depot_parse_test.c,\
    core_services runtime kernel_pd,)
$(call unit_test,core_depot_rom,tests/unit/core/depot_rom_test.c,\
    core_services runtime kernel_pd,)
$(call unit_test,core_net,tests/unit/core/net_test.c $(CORE_TEST_FIXTURE),\
    core_services runtime kernel_pd,)
$(call unit_test,core_net_frame,tests/unit/core/net_frame_test.c core/net_frame.c,,)
$(call objects_of,tests/unit/core/net_frame_test.c): INCLUDES += -Icore
$(call objects_of,$(addprefix tests/unit/core/,target_test.c services_test.c \
    parent_test.c report_test.c net_test.c fixture.c)): \
    $(foreach i,$(SESSION_INTERFACES),$(O)/gen/$(i)_rpc.h)
# The fuzz target takes core's decode step alone (kernel_pd, which it does
# not need, is gcc-only).
$(call fuzz_target,core_session_args_fuzz,tests/fuzz/session_args_fuzz.c \
    core/target.c core/terminal_limit.c core/printable.c,runtime,)
$(call objects_of,tests/fuzz/session_args_fuzz.c): INCLUDES += -Icore -Icore/linux
# The line splitter of domain output, on arbitrary bytes cut into reads.
$(call fuzz_target,core_output_lines_fuzz,tests/fuzz/output_lines_fuzz.c \
    core/output_lines.c core/printable.c,runtime,)
$(call objects_of,tests/fuzz/output_lines_fuzz.c): INCLUDES += -Icore -Icore/linux
# The frames of connections over a riscv net port as a hostile peer
# machine sends them, cut into slices.
$(call fuzz_target,core_net_frame_fuzz,tests/fuzz/net_frame_fuzz.c core/net_frame.c,,)
$(call objects_of,tests/fuzz/net_frame_fuzz.c): INCLUDES += -Icore
# Manifests and ROM request arguments as a hostile target or component
# gives them.
$(call fuzz_target,core_depot_manifest_fuzz,tests/fuzz/depot_manifest_fuzz.c \
    core/manifest.c core/depot_index.c core/rom_request.c core/archive_name.c \
    core/target.c core/terminal_limit.c core/printable.c,runtime,)
$(call objects_of,tests/fuzz/depot_manifest_fuzz.c): INCLUDES += -Icore -Icore/linux
# The core sources the fuzz targets compile on their own include the linux
# platform's core_platform.h, as core_services' objects do.
$(call objects_of,$(CORE_LINUX_SOURCES) $(CORE_SHARED_SOURCES)): INCLUDES += -Icore/linux
