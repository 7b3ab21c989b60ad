# Tests of the component environment (runtime/env) against core's services
# served in-process (the fixture of tests/unit/core).
$(call unit_test,runtime_env,tests/unit/env/env_test.c \
    tests/unit/core/fixture.c,core_services runtime kernel_pd,)
$(call objects_of,tests/unit/env/env_test.c): INCLUDES += -Iruntime/env \
    -Itests/unit/core

# The session watch's rules (runtime/env/reconnect_rule.c, in libruntime).
$(call unit_test,reconnect_rule,tests/unit/env/reconnect_rule_test.c,runtime,)
$(call objects_of,tests/unit/env/reconnect_rule_test.c): INCLUDES += -Iruntime/env
