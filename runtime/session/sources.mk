# The interfaces every component speaks: parent and root (sessions), and
# the core services PD, ROM, RM, CPU, LOG and Report (report_rom serves
# Report too), IRQ and IO_MEM for drivers, and Entropy (riscv). Their stubs, dispatch code
# and type descriptors are generated from the .rpc files here into
# libruntime.
SESSION_INTERFACES := parent root pd rom log cpu rm report net irq io_mem entropy
$(foreach i,$(SESSION_INTERFACES),\
    $(call rpc_interface,$(i),runtime/session/$(i).rpc))
RUNTIME_SOURCES += $(foreach i,$(SESSION_INTERFACES),$(call rpc_source,$(i)))
# The server side of sessions: decoding the common session arguments and
# labels (runtime/session_args.h), and the root component every server
# serves its root interface with (runtime/root_component.h).
RUNTIME_SOURCES += runtime/session/session_args.c runtime/session/root_component.c
