# Tests of the timer component's alarm clock (pkg/timer/alarm.c).
$(call unit_test,timer_alarm,tests/unit/timer/alarm_test.c pkg/timer/alarm.c,runtime,)
$(call objects_of,tests/unit/timer/alarm_test.c): INCLUDES += -iquote pkg/timer

# The timer connection's re-arming rule (pkg/timer/timer_connection.c).
$(call unit_test,reconnect_timer,tests/unit/timer/timer_connection_test.c \
    pkg/timer/timer_connection.c $(call rpc_source,timer),runtime,)
$(call objects_of,tests/unit/timer/timer_connection_test.c): INCLUDES += -iquote pkg/timer
