# pkg/counter: the demo Counter server. Its interface counter_session.rpc is
# also linked by pkg/counter_client.
COUNTER_SOURCES := pkg/counter/main.c
$(call rpc_interface,counter_session,pkg/counter/counter_session.rpc)
$(call program,counter,$(COUNTER_SOURCES) \
    $(call rpc_source,counter_session),runtime,)
