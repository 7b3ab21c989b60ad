# pkg/counter_client: the demo client of the Counter service, driven by a
# Timer. Links the interfaces of pkg/counter and pkg/timer, and pkg/timer's
# timer connection (re-armed at a new timer).
COUNTER_CLIENT_SOURCES := pkg/counter_client/main.c pkg/timer/timer_connection.c
$(call program,counter_client,$(COUNTER_CLIENT_SOURCES) \
    $(call rpc_source,counter_session) $(call rpc_source,timer),runtime,-lcjson)
$(call objects_of,pkg/counter_client/main.c): INCLUDES += -iquote pkg/timer
