# pkg/timer: the Timer service. Its interface timer.rpc is also linked by
# the components that use timers (pkg/counter_client).
TIMER_SOURCES := pkg/timer/main.c pkg/timer/alarm.c
$(call rpc_interface,timer,pkg/timer/timer.rpc)
$(call program,timer,$(TIMER_SOURCES) $(call rpc_source,timer),runtime,)
