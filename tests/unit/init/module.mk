# Tests of init's own parts (runtime/init/) in-process: its per-child
# config ROM, with the fake PD of tests/unit/child.
INIT_TEST_SOURCES := tests/unit/init/config_rom_test.c runtime/init/config_rom.c \
    tests/unit/child/fakes.c
$(call unit_test,init_config_rom,$(INIT_TEST_SOURCES),runtime,)
$(call objects_of,tests/unit/init/config_rom_test.c): \
    INCLUDES += -iquote runtime/init -iquote tests/unit/child

# init's routing decision (runtime/init/route.c) against models parsed by
# libformat; route.c is compiled into the test, its header sits beside it.
$(call unit_test,init_route,tests/unit/init/test_route.c runtime/init/route.c,format runtime,)
$(call objects_of,tests/unit/init/test_route.c): INCLUDES += -iquote runtime/init

# init's reconfiguration (runtime/init/reconfig.c): the checks of a new
# config and its plan (libformat's format/plan.h), without processes.
$(call unit_test,init_reconfig,tests/unit/init/reconfig_test.c runtime/init/reconfig.c,format,)
$(call objects_of,tests/unit/init/reconfig_test.c): INCLUDES += -iquote runtime/init

# What init makes of a pkg (runtime/init/pkg_table.c): core's archive
# indexes, the archive a ROM resolves to, whether the pkg can start.
$(call unit_test,init_pkg_table,tests/unit/init/pkg_table_test.c runtime/init/pkg_table.c,format runtime,)
$(call objects_of,tests/unit/init/pkg_table_test.c): INCLUDES += -iquote runtime/init

# A child's state block (runtime/init/child_state.c): ids and transitions.
$(call unit_test,init_child_state,tests/unit/init/child_state_test.c runtime/init/child_state.c,runtime,)
$(call objects_of,tests/unit/init/child_state_test.c): INCLUDES += -iquote runtime/init

# Fuzz target of what init reads about a pkg: core's indexes, the archives
# and runtime files (built in the fuzz variant; the fuzz suite runs it).
$(call fuzz_target,init_pkg_fuzz,tests/fuzz/init_pkg_fuzz.c runtime/init/pkg_table.c,format runtime,)
$(call objects_of,tests/fuzz/init_pkg_fuzz.c): INCLUDES += -iquote runtime/init

# init's restart policy (runtime/init/restart_policy.c): which ends
# restart, the back-off schedule, giving up after a full streak.
$(call unit_test,init_restart_policy,tests/unit/init/restart_policy_test.c runtime/init/restart_policy.c,format,)
$(call objects_of,tests/unit/init/restart_policy_test.c): INCLUDES += -iquote runtime/init

# init's routes to other nodes (runtime/init/reconfig.c expands them into
# proxies, runtime/init/route.c sends sessions there), without processes.
$(call unit_test,remote_route_init,tests/unit/init/remote_route_test.c runtime/init/route.c runtime/init/reconfig.c,format runtime,)
$(call objects_of,tests/unit/init/remote_route_test.c): INCLUDES += -iquote runtime/init

# What init keeps of a remote proxy's link report (runtime/init/
# remote_link_word.c): the words, hostile reports.
$(call unit_test,remote_route_link_word,tests/unit/init/remote_link_word_test.c runtime/init/remote_link_word.c,format runtime,)
$(call objects_of,tests/unit/init/remote_link_word_test.c): INCLUDES += -iquote runtime/init
# The arithmetic of a quota downgrade (runtime/init/yield_plan.c): what
# is owed, what a PD has free of it, a raise that cancels what is owed,
# the yield request's deadline.
$(call unit_test,init_yield_plan,tests/unit/init/yield_plan_test.c runtime/init/yield_plan.c,runtime,)
$(call objects_of,tests/unit/init/yield_plan_test.c): INCLUDES += -iquote runtime/init
