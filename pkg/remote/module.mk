# pkg/remote: sessions across machines (pkg/remote/README.md). So far the
# link library: mutual TLS with pinned keys, frames, per-channel credit and
# reconnection. It links no libruntime, so host tools and tests use it as
# well as the proxies of later sessions.
REMOTE_LINK_SOURCES := $(addprefix pkg/remote/link/,frame.c identity.c tls.c \
    link.c reconnect.c stream_fd.c)
$(call library,remote_link,$(REMOTE_LINK_SOURCES),pkg/remote/link/include,hex,\
    -lssl -lcrypto)
# A link over a stream capability of core's Net service, for components.
$(call library,remote_kstream,pkg/remote/kstream/stream_cap.c,\
    pkg/remote/kstream/include,remote_link runtime,)
# The remote ROM proxies (pkg/remote/README.md, "Remote ROM"): the server
# side, a ROM client on its node, and the client side, a ROM server on the
# other node, linked over core's Net service.
REMOTE_ROM_COMMON := pkg/remote/rom/node.c pkg/remote/rom/modules.c \
    pkg/remote/rom/rom_wire.c
$(call program,remote_rom_server,pkg/remote/rom/server.c $(REMOTE_ROM_COMMON),\
    runtime remote_kstream,-lcjson)
$(call program,remote_rom_client,pkg/remote/rom/client.c $(REMOTE_ROM_COMMON),\
    runtime remote_kstream,-lcjson)
$(call objects_of,pkg/remote/rom/server.c pkg/remote/rom/client.c pkg/remote/rom/node.c): \
    $(foreach i,root parent pd rom net report,$(O)/gen/$(i)_rpc.h)
# remote-key: makes a node's key pair and certificate, prints its pin.
$(call program,remote-key,pkg/remote/key/main.c,remote_link,)
# The generic RPC proxy (pkg/remote/README.md, "RPC across"): the wire
# protocol and reference table (pure; the wire code also cross-builds for
# s390x, tests/cross), the engine, and its two roles. Both link the
# descriptor table of every interface of the tree (mk/rpc.mk).
REMOTE_RPC_WIRE := pkg/remote/rpc/proxy_wire.c pkg/remote/rpc/ref_table.c
REMOTE_RPC_ENGINE := pkg/remote/rpc/proxy.c pkg/remote/rpc/proxy_tables.c \
    pkg/remote/rpc/proxy_calls.c pkg/remote/rpc/iface_table.c
REMOTE_RPC_COMMON := $(REMOTE_RPC_WIRE) $(REMOTE_RPC_ENGINE) pkg/remote/rpc/service_arg.c \
    pkg/remote/rom/node.c $(RPC_IFACE_TABLE)
$(call program,remote_rpc_client,pkg/remote/rpc/client.c $(REMOTE_RPC_COMMON),\
    runtime remote_kstream,-lcjson)
$(call program,remote_rpc_server,pkg/remote/rpc/server.c $(REMOTE_RPC_COMMON),\
    runtime remote_kstream,-lcjson)
$(call objects_of,pkg/remote/rpc/client.c pkg/remote/rpc/server.c \
    pkg/remote/rpc/proxy.c pkg/remote/rpc/proxy_tables.c pkg/remote/rpc/proxy_calls.c): \
    INCLUDES += -Ipkg/remote/rom
