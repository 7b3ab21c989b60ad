# Signals of libruntime: receiver and contexts, transmitter, dispatcher.
RUNTIME_SOURCES += $(addprefix runtime/signal/,\
    receiver.c transmitter.c dispatcher.c)
