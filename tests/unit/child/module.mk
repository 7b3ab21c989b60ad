# In-process tests of runtime/child: the session broker with fake servers
# on an entrypoint, and the service registry.
CHILD_TEST_SOURCES := tests/unit/child/child_test.c tests/unit/child/fakes.c
$(call unit_test,child_broker,$(CHILD_TEST_SOURCES),runtime,)
$(call unit_test,child_service,tests/unit/child/service_test.c,runtime,)
