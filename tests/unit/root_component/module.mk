# Tests of libruntime's session layer: the decode step of session
# arguments and labels (runtime/session_args.h), and the root component
# (runtime/root_component.h) served on a real entrypoint, its sessions
# speaking the test interface notes.rpc.
$(call rpc_interface,notes,tests/unit/root_component/notes.rpc)
$(call unit_test,session_args,tests/unit/root_component/session_args_test.c,\
    runtime,)
$(call unit_test,root_component,tests/unit/root_component/root_component_test.c \
    $(call rpc_source,notes),runtime,)
