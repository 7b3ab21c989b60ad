# pkg/report_rom: reports in, ROMs out. Its interface report.rpc is also
# linked by the components that report (the init probe of the scenarios).
REPORT_ROM_SOURCES := pkg/report_rom/main.c pkg/report_rom/reports.c
$(call rpc_interface,report,pkg/report_rom/report.rpc,\
    $(REPORT_ROM_SOURCES) tests/scenarios/init/init_probe.c)
$(call program,report_rom,$(REPORT_ROM_SOURCES) $(call rpc_source,report),\
    runtime,-lcjson)
$(call objects_of,$(REPORT_ROM_SOURCES)): \
    $(foreach i,root parent pd rom,$(O)/gen/$(i)_rpc.h)
