# Tests of libformat (runtime/format/): the runtime configuration's parser,
# validation errors, canonical serialisation, quota check and hostile input,
# the pkg runtime file (test_pkg_runtime.c), a pkg entry merged with it and
# the pkg archives file (test_pkg_merge.c), the plan of a change
# (test_plan.c), init's state report (test_state_report.c: both sides,
# hostile input),
# as cmocka unit tests under ASan/UBSan, plus the libFuzzer targets of the
# parsers (format_fuzz, state_report_fuzz; built in the fuzz variant, the
# fuzz suite runs them).
$(call unit_test,format_runtime_config,tests/unit/format/test_runtime_config.c,format,)
$(call unit_test,format_errors,tests/unit/format/test_errors.c,format,)
$(call unit_test,format_hostile,tests/unit/format/test_hostile.c,format,)
$(call fuzz_target,format_fuzz,tests/fuzz/format_fuzz.c,format,)
$(call fuzz_target,state_report_fuzz,tests/fuzz/state_report_fuzz.c,format,)
$(call unit_test,format_pkg_runtime,tests/unit/format/test_pkg_runtime.c,format,)
$(call unit_test,format_plan,tests/unit/format/test_plan.c,format,)
$(call unit_test,format_pkg_merge,tests/unit/format/test_pkg_merge.c,format,)
$(call unit_test,format_state_report,tests/unit/format/test_state_report.c,format,)
$(call unit_test,remote_route_config,tests/unit/format/test_remote_route.c,format,)
$(call unit_test,remote_route_report,tests/unit/format/test_remote_report.c,format,)
