# The kernel interface library: kernel/include/kernel/kernel.h implemented
# for the hosted Linux platform (kernel/linux/), one subsystem per file,
# and what every platform shares (kernel/common/). It links lib/grow, the
# growth of its tables, which depends on the C library alone.
$(call library,kernel,$(addprefix kernel/linux/,\
    error.c clock.c thread.c registry.c cap.c wire.c endpoint.c call.c \
    reply.c waitset.c signal.c mem.c stream.c boot.c process.c forbid_open.c \
    device.c) \
    kernel/common/kerr_str.c,\
    kernel/include,grow,)
# The privileged part (kernel_pd) has a file of its own.
include kernel/privileged.mk
