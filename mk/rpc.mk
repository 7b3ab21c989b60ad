# Rules of rpcgen, the IDL code generator of runtime/rpc (see
# runtime/rpc/rpcgen/idl.h for the language). rpcgen is a host program
# built first, in every variant, from its own sources plus the wire-format
# code it shares with libruntime (so both agree on message sizes).
#
#   $(call rpc_interface,NAME,FILE.rpc)
#       generates $(O)/gen/NAME_rpc.h and $(O)/gen/NAME_rpc.c from FILE.rpc.
#       Add $(call rpc_source,NAME) to the sources of whatever links the
#       interface. $(O)/gen is on every include path, and every object
#       waits for every generated header (mk/rules.mk), so a source just
#       includes NAME_rpc.h.

RPCGEN := $(O)/host/rpcgen
RPCGEN_SOURCES := $(addprefix runtime/rpc/rpcgen/,main.c idl.c emit.c) \
                  runtime/rpc/wire.c
RPCGEN_OBJS := $(call objects_of,$(RPCGEN_SOURCES))

$(RPCGEN_OBJS): INCLUDES := -Iruntime/include -Ikernel/include
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
