# Tests of libruntime's signals: receiver, transmitter, dispatcher, and a
# stream watched beside them (a loopback TCP pair as the stream).
$(call unit_test,signal,tests/unit/signal/signal_test.c tests/unit/kernel/tcp_pair.c,runtime,)
$(call objects_of,tests/unit/signal/signal_test.c): INCLUDES += -Itests/unit/kernel
