# Tests of pkg/remote's link library: the frame format (pure), the link
# over socketpairs (TLS pinning, hostile frames, credit, reconnection),
# and a fuzz target of the frame parser.
$(call unit_test,remote_frame,tests/unit/remote/frame_test.c tests/unit/remote/frame_scan.c,remote_link,)
$(call unit_test,remote_link,tests/unit/remote/link_test.c,remote_link,)
$(tests_remote_link_OBJS): INCLUDES += -Ipkg/remote/link
$(call fuzz_target,remote_frame_fuzz,tests/unit/remote/frame_fuzz.c tests/unit/remote/frame_scan.c,remote_link,)
# Core's Net service and the link together (the core test fixture).
$(call unit_test,remote_net_link,tests/unit/remote/net_link_test.c \
    tests/unit/core/fixture.c,core_services runtime kernel_pd remote_kstream,)
$(call objects_of,tests/unit/remote/net_link_test.c): INCLUDES += -Itests/unit/core
$(call objects_of,tests/unit/remote/net_link_test.c): \
    $(foreach i,$(SESSION_INTERFACES),$(O)/gen/$(i)_rpc.h)
# The remote ROM protocol (pure).
$(call unit_test,remote_rom_wire,tests/unit/remote/rom_wire_test.c \
    pkg/remote/rom/rom_wire.c,remote_link,)
$(call objects_of,tests/unit/remote/rom_wire_test.c): INCLUDES += -Ipkg/remote/rom
$(call fuzz_target,remote_rom_wire_fuzz,tests/unit/remote/rom_wire_fuzz.c \
    pkg/remote/rom/rom_wire.c,remote_link,)
$(call objects_of,tests/unit/remote/rom_wire_fuzz.c): INCLUDES += -Ipkg/remote/rom
# The RPC proxy's wire protocol and reference table (pure), and a fuzz
# target of its decoder.
# The service argument of forwarded sessions (an export's access control).
$(call unit_test,remote_service_arg,tests/unit/remote/service_arg_test.c \
    pkg/remote/rpc/service_arg.c,,)
$(call objects_of,tests/unit/remote/service_arg_test.c): INCLUDES += -Ipkg/remote/rpc
$(call unit_test,remote_proxy_wire,tests/unit/remote/proxy_wire_test.c \
    pkg/remote/rpc/proxy_wire.c pkg/remote/rpc/ref_table.c,remote_link,)
$(call objects_of,tests/unit/remote/proxy_wire_test.c): INCLUDES += -Ipkg/remote/rpc
$(call fuzz_target,remote_proxy_wire_fuzz,tests/unit/remote/proxy_wire_fuzz.c \
    pkg/remote/rpc/proxy_wire.c,remote_link,)
$(call objects_of,tests/unit/remote/proxy_wire_fuzz.c): INCLUDES += -Ipkg/remote/rpc
# The descriptor table of every interface of the tree (rpcgen --table),
# as the RPC proxy links it.
$(call unit_test,remote_iface_table,tests/unit/remote/iface_table_test.c \
    pkg/remote/rpc/iface_table.c $(RPC_IFACE_TABLE) \
    $(call rpc_source,counter_session) $(call rpc_source,vault),runtime,)
$(call objects_of,tests/unit/remote/iface_table_test.c): INCLUDES += -Ipkg/remote/rpc
# The proxy engine in one process: two nodes over loopback TCP as stream
# capabilities, in front of the RPC tests' counter server.
$(call unit_test,remote_proxy,tests/unit/remote/proxy_test.c \
    $(REMOTE_RPC_ENGINE) $(REMOTE_RPC_WIRE) $(RPC_IFACE_TABLE) tests/unit/rpc/counter_server.c \
    tests/unit/kernel/tcp_pair.c $(call rpc_source,counter),runtime remote_link remote_kstream,)
$(call objects_of,tests/unit/remote/proxy_test.c): INCLUDES += -Ipkg/remote/rpc -Itests/unit/rpc \
    -Itests/unit/kernel
