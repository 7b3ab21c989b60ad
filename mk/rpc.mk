# Rules of rpcgen, the IDL code generator of runtime/rpc (see
# runtime/rpc/rpcgen/idl.h for the language). rpcgen is a host program
# built first, in every variant, from its own sources plus the wire-format
# code it shares with libruntime (so both agree on message sizes) and
# lib/grow (the growth of its tables).
#
#   $(call rpc_interface,NAME,FILE.rpc)
#       generates $(O)/gen/NAME_rpc.h and $(O)/gen/NAME_rpc.c from FILE.rpc.
#       Add $(call rpc_source,NAME) to the sources of whatever links the
#       interface. $(O)/gen is on every include path, and every object
#       waits for every generated header (mk/rules.mk), so a source just
#       includes NAME_rpc.h.

RPCGEN := $(O)/host/rpcgen
RPCGEN_SOURCES := $(addprefix runtime/rpc/rpcgen/,main.c idl.c emit.c) \
                  lib/grow/grow.c \
                  runtime/rpc/rpc_wire.c
RPCGEN_OBJS := $(call objects_of,$(RPCGEN_SOURCES))

$(RPCGEN_OBJS): INCLUDES := -Iruntime/include -Ikernel/include \
                             -Ilib/grow/include
$(RPCGEN): $(RPCGEN_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

ALL_DEPFILES += $(RPCGEN_OBJS:.o=.d)
GENERATOR_OBJS += $(RPCGEN_OBJS)
LINT_SOURCES += $(filter runtime/rpc/rpcgen/%,$(RPCGEN_SOURCES))
CFLAGS += -I$(O)/gen

define rpc_interface_template
$(O)/gen/$(1)_rpc.h $(O)/gen/$(1)_rpc.c &: $(2) $(RPCGEN)
	@mkdir -p $(O)/gen
	@echo "  RPCGEN  $(2)"
	$$(Q)$(RPCGEN) $(1) $(2) $(O)/gen/$(1)_rpc.h $(O)/gen/$(1)_rpc.c
GENERATED_HEADERS += $(O)/gen/$(1)_rpc.h
endef

rpc_interface = $(eval $(call rpc_interface_template,$(1),$(2)))
rpc_source = $(O)/gen/$(1)_rpc.c

# The descriptor table of every interface file in the tree (rpcgen --table):
# $(O)/gen/rpc_iface_table.c defines rpc_iface_table[] and
# rpc_iface_table_count (declared in pkg/remote's remote/iface_table.h).
# A generic proxy that links it forwards any interface declared anywhere.
rpc_files_in = $(foreach d,$(1),\
    $(filter %.rpc,$(d)) $(call rpc_files_in,$(wildcard $(d)/*)))
RPC_ALL_FILES := $(sort $(call rpc_files_in,$(filter-out build,$(wildcard *))))
RPC_IFACE_TABLE := $(O)/gen/rpc_iface_table.c

$(RPC_IFACE_TABLE): $(RPC_ALL_FILES) $(RPCGEN)
	@mkdir -p $(@D)
	@echo "  RPCGEN  --table ($(words $(RPC_ALL_FILES)) interfaces)"
	$(Q)$(RPCGEN) --table $@ $(RPC_ALL_FILES)
