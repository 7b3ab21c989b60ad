# Tests of the component environment (runtime/env) against core's services
# served in-process (the fixture of tests/unit/core).
$(call unit_test,runtime_env,tests/unit/env/env_test.c \
    tests/unit/core/fixture.c,core_services runtime kernel_pd,)
$(call objects_of,tests/unit/env/env_test.c): INCLUDES += -Iruntime/env \
    -Itests/unit/core
