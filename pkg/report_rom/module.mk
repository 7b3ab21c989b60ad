# pkg/report_rom: reports in, ROMs out (and every report forwarded to the
# parent's Report service). Its interface report.rpc is one of the session
# interfaces of libruntime (runtime/session/), since core serves it too.
REPORT_ROM_SOURCES := pkg/report_rom/main.c pkg/report_rom/reports.c
$(call program,report_rom,$(REPORT_ROM_SOURCES),runtime,-lcjson)
