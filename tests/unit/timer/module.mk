# Tests of the timer component's alarm clock (pkg/timer/alarm.c).
$(call unit_test,timer_alarm,tests/unit/timer/alarm_test.c pkg/timer/alarm.c,runtime,)
$(call objects_of,tests/unit/timer/alarm_test.c): INCLUDES += -iquote pkg/timer
