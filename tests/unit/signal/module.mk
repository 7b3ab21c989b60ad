# Tests of libruntime's signals: receiver, transmitter, dispatcher.
$(call unit_test,signal,tests/unit/signal/signal_test.c,runtime,)
