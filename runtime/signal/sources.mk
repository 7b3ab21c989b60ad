# Signals of libruntime: receiver and contexts, transmitter, dispatcher.
RUNTIME_SOURCES += $(addprefix runtime/signal/,\
    source.c receiver.c transmitter.c dispatcher.c)
