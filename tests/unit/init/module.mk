# Tests of init's routing decision (runtime/init/route.c) against models
# parsed by libformat. route.c is compiled into the test itself, so the test
# does not wait for init's program; its header sits beside it.
$(call unit_test,init_route,tests/unit/init/test_route.c runtime/init/route.c,format,)
$(O)/obj/tests/unit/init/test_route.o: INCLUDES += -Iruntime/init
