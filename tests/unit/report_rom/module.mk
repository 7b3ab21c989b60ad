# Tests of report_rom's store of reports (pkg/report_rom/reports.c), with
# the fake PD of tests/unit/child.
REPORTS_TEST_SOURCES := tests/unit/report_rom/reports_test.c \
    pkg/report_rom/reports.c tests/unit/child/fakes.c
$(call unit_test,report_rom_reports,$(REPORTS_TEST_SOURCES),runtime,)
$(call objects_of,tests/unit/report_rom/reports_test.c): \
    INCLUDES += -iquote pkg/report_rom -iquote tests/unit/child
