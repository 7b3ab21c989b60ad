# The scenario probe, a test component installed as boot module `init` by
# the scenario harness (tests/scenarios/lib.sh). A component links
# libruntime, which provides its main().
$(call program,scenario-probe,tests/scenarios/components/probe.c \
    tests/scenarios/components/probe_rom.c,runtime,)
$(call objects_of,tests/scenarios/components/probe.c \
    tests/scenarios/components/probe_rom.c): \
    $(addprefix $(O)/gen/,pd_rpc.h cpu_rpc.h rom_rpc.h)
# The output probe writes to its stdout and stderr for the scenarios of
# core's capture of domain output (tests/scenarios/3*-output-*.scenario).
$(call program,output-probe,tests/scenarios/components/output_probe.c,runtime,-lcjson)
# state-report-check reads init's state report as host tools do, linking
# libformat only (tests/scenarios/38-init-state-report.scenario).
$(call program,state-report-check,tests/scenarios/state_report_check.c,format,)
