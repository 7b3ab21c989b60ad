# libkernel and libruntime for riscv64, and the programs of the QEMU suite
# that link them (tests/riscv/rt/), cross-built with riscv64-unknown-elf-gcc
# and picolibc into build/release/riscv/. This file sits here, not in
# kernel/riscv/, because module.mk files are read in sorted order and it
# needs runtime/'s list of sources (RUNTIME_SOURCES) and the generated RPC
# code: libruntime is built from the same sources as on linux, unmodified,
# with the same flags but for the target.
#
#   build/release/riscv/lib/libkernel.a   kernel.h over the riscv kernel
#                                         (kernel/riscv/lib/), with crt0.o
#   build/release/riscv/lib/libruntime.a  runtime/, cross-built
#   build/release/riscv/rt/NAME.elf       tests/riscv/rt/NAME.c linked with both
#   build/release/riscv/pkg/NAME.elf      components: pkg/ sources (and test
#                                         clients) linked the same way

# riscv-tcp-peer: the host's end of a net port in the QEMU suite (a TCP
# echo peer; a host program, built whether or not the cross compiler is),
# framing its connections with core's own codec (core/net_frame.h).
$(call program,riscv-tcp-peer,tests/riscv/tcp_peer.c core/net_frame.c,,)
$(call objects_of,tests/riscv/tcp_peer.c): INCLUDES += -Icore

ifeq ($(VARIANT)$(if $(RISCV_HAVE_CC),yes),releaseyes)

# What libkernel adds to picolibc (kernel/riscv/lib/libc_posix.c), told
# to picolibc's headers: clock_gettime() with CLOCK_MONOTONIC (kclock),
# and <sys/dirent.h> (kernel/riscv/lib/include/).
RV_POSIX := -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L \
    -Ikernel/riscv/lib/include
RV_LIB_CFLAGS := --specs=picolibc.specs $(RV_POSIX) -std=c17 -D_GNU_SOURCE $(RV_ARCH) \
    -O2 -g -MMD -MP $(WARNINGS) $(FILE_PREFIX_MAP)
RV_LIBKERNEL_SRCS := $(wildcard kernel/riscv/lib/*.c) kernel/common/kerr_str.c
RV_LIBKERNEL_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(RV_LIBKERNEL_SRCS))
RV_LIBKERNEL_PD_OBJS := $(RV_O)/lib-obj/kernel/riscv/lib/pd/pd.o
# libruntime links libgrow (lib/grow: runtime/grow.h is its header) and
# libhex (lib/hex); on riscv their one file each goes into libruntime.a,
# and getentropy() over an Entropy session (picolibc has none; the file
# says why a session).
RV_RUNTIME_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(RUNTIME_SOURCES) lib/grow/grow.c lib/hex/hex.c \
    runtime/env/getentropy_session.c)
RV_RT_PROGS := logroot logclient kapi uartroot uart core linemix streamroot streamchild
# The test programs that are roots (stand in for core) link pd.h too.
RV_ROOTS := core
RV_RT_OBJS := $(patsubst %,$(RV_O)/lib-obj/tests/riscv/rt/%.o,$(RV_RT_PROGS))
RV_RT_ELFS := $(patsubst %,$(RV_O)/rt/%.elf,$(RV_RT_PROGS))

$(RV_O)/lib-obj/%.o: %.c | $(GENERATED_HEADERS)
	@mkdir -p $(@D)
	@echo "  RVCC    $<"
	$(Q)$(RISCV_CC) $(RV_LIB_CFLAGS) -Iruntime/include -Ikernel/include -Ilib/grow/include -Ilib/hex/include \
	    -I$(O)/gen -iquote $(dir $<) -c -o $@ $<

# The test programs reach the kernel's own calls too (sys.h): the root
# stands in for core and starts the other modules.
$(RV_RT_OBJS): RV_LIB_CFLAGS += -Ikernel/riscv/user

$(RV_O)/lib-obj/crt0.o: kernel/riscv/lib/crt0.S
	@mkdir -p $(@D)
	$(Q)$(RISCV_CC) $(RV_ARCH) -c -o $@ $<

$(RV_O)/lib/libkernel.a: $(RV_LIBKERNEL_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

# pd.h, for the root alone (kernel/riscv/lib/pd/pd.c).
$(RV_O)/lib/libkernel_pd.a: $(RV_LIBKERNEL_PD_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(RV_O)/lib/libruntime.a: $(RV_RUNTIME_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

# picolibc, libkernel and libruntime need each other (malloc and stdio
# take the library's locks, the library calls malloc): one group.
$(RV_O)/rt/%.elf: $(RV_O)/lib-obj/tests/riscv/rt/%.o $(RV_O)/lib-obj/crt0.o \
    $(RV_O)/lib/libruntime.a $(RV_O)/lib/libkernel.a $(RV_O)/lib/libkernel_pd.a \
    kernel/riscv/lib/component.ld
	@mkdir -p $(@D)
	@echo "  RVLD    $@"
	$(Q)$(RISCV_CC) $(RV_ARCH) -nostdlib -static -Wl,--build-id=none \
	    -T kernel/riscv/lib/component.ld -o $@ $(RV_O)/lib-obj/crt0.o \
	    $(filter-out $(RV_O)/lib-obj/crt0.o,$(filter %.o,$^)) \
	    -Wl,--start-group $(RV_O)/lib/libruntime.a $(RV_O)/lib/libkernel.a \
	    $(if $(filter $(RV_ROOTS),$*),$(RV_O)/lib/libkernel_pd.a) \
	    $(RV_PICOLIBC_LIBS) -Wl,--end-group

# The stand-in roots' PD, CPU and LOG (rt/standin.c), linked into both.
RV_STANDIN_OBJ := $(RV_O)/lib-obj/tests/riscv/rt/standin.o
$(RV_O)/rt/core.elf: $(RV_STANDIN_OBJ)
ALL_DEPFILES += $(RV_STANDIN_OBJ:.o=.d)

# core itself for riscv (core/README.md, "One core, two platforms"): the
# shared sources of core/ with the riscv glue of core/riscv/, linked with
# libruntime and pd.h; boot module 0 of an image, `make run-riscv` boots it.
RV_CORE_SRCS := $(CORE_SHARED_SOURCES) core/printable.c core/output_lines.c \
    $(addprefix core/riscv/,boot_modules.c boot_options.c \
    console_log.c platform.c main.c pushed_roms.c control.c \
    control_archive.c pushed_archives.c sha256.c control_stop.c control_usage.c \
    host_frames.c report_frames.c domain_life.c domain_output_ring.c \
    virtio_console.c virtio_mmio.c virtqueue.c net_ports.c net_service.c \
    entropy.c virtio_rng.c entropy_service.c) kernel/riscv/tool/cksum.c \
    kernel/riscv/tool/decimal.c core/net_frame.c
# rvdepot: files of depot archives as boot modules, with linux's index text
RV_CORE_SRCS += core/depot_index.c core/depot_index_rom.c $(addprefix core/riscv/,boot_module_name.c \
    depot_modules.c)
RV_CORE_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(RV_CORE_SRCS))
$(RV_CORE_OBJS): RV_LIB_CFLAGS += -Icore -Icore/riscv -Ikernel/riscv/user \
    -Ikernel/riscv/tool -Ikernel/riscv/lib/pd
# The Net service's policy is linux's code over cJSON (core/net_policy.c):
# core needs the cross-built cJSON (below), as init does.
$(RV_CORE_OBJS): RV_LIB_CFLAGS += -I$(RV_O)/include
$(RV_O)/lib-obj/core/net_policy.o: $(RV_O)/include/cjson/cJSON.h

# A root domain (core, the device tests' root) ELF_FILE from OBJECTS:
# libruntime, libkernel and pd.h's libkernel_pd.
define rv_root
$(1): $(2) $(RV_O)/lib-obj/crt0.o \
    $(RV_O)/lib/libruntime.a $(RV_O)/lib/libkernel.a $(RV_O)/lib/libkernel_pd.a \
    kernel/riscv/lib/component.ld
	@mkdir -p $$(@D)
	@echo "  RVLD    $$@"
	$$(Q)$$(RISCV_CC) $$(RV_ARCH) -nostdlib -static -Wl,--build-id=none \
	    -T kernel/riscv/lib/component.ld -o $$@ $$(RV_O)/lib-obj/crt0.o \
	    $(2) -Wl,--start-group $$(RV_O)/lib/libruntime.a \
	    $$(RV_O)/lib/libkernel.a $$(RV_O)/lib/libkernel_pd.a \
	    $$(RV_PICOLIBC_LIBS) -Wl,--end-group
endef
$(eval $(call rv_root,$(RV_O)/core/core.elf,$(RV_CORE_OBJS) $(RV_O)/lib/libcjson.a))

.SECONDARY: $(RV_CORE_OBJS)
ALL_TARGETS += $(RV_O)/core/core.elf
ALL_DEPFILES += $(RV_CORE_OBJS:.o=.d)

# Components, from the same sources as their linux builds (pkg/*/module.mk):
# NAME and its sources. libruntime's main() starts them.
RV_COMPONENTS := counter countme timer sleeper log_server launch probe crash kquota aborter \
    heapfill threadhog outflood bigreport
rv_counter_SRCS := pkg/counter/main.c $(call rpc_source,counter_session)
rv_countme_SRCS := tests/riscv/rt/countme.c $(call rpc_source,counter_session)
rv_timer_SRCS := pkg/timer/main.c pkg/timer/alarm.c $(call rpc_source,timer)
rv_sleeper_SRCS := tests/riscv/rt/sleeper.c $(call rpc_source,timer)
rv_log_server_SRCS := pkg/log_server/main.c
# Under core itself (core/riscv/): an init stand-in and test components.
rv_launch_SRCS := tests/riscv/rt/launch.c
rv_probe_SRCS := tests/riscv/rt/probe.c
rv_crash_SRCS := tests/riscv/rt/crash.c
rv_kquota_SRCS := tests/riscv/rt/kquota.c
rv_aborter_SRCS := tests/riscv/rt/aborter.c
rv_heapfill_SRCS := tests/riscv/rt/heapfill.c
rv_threadhog_SRCS := tests/riscv/rt/threadhog.c
rv_outflood_SRCS := tests/riscv/rt/outflood.c
rv_bigreport_SRCS := tests/riscv/rt/bigreport.c
# core's Net service on riscv (rvnetsvc)
RV_COMPONENTS += netclient
rv_netclient_SRCS := tests/riscv/rt/netclient.c
# rvremote: getentropy() of a component (an Entropy session at core)
RV_COMPONENTS += entropyprobe
rv_entropyprobe_SRCS := tests/riscv/rt/entropyprobe.c

define rv_component
$(RV_O)/pkg/$(1).elf: $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(2)) $(RV_O)/lib-obj/crt0.o \
    $(RV_O)/lib/libruntime.a $(RV_O)/lib/libkernel.a kernel/riscv/lib/component.ld $(3)
	@mkdir -p $$(@D)
	@echo "  RVLD    $$@"
	$$(Q)$$(RISCV_CC) $$(RV_ARCH) -nostdlib -static -Wl,--build-id=none \
	    -T kernel/riscv/lib/component.ld -o $$@ $$(RV_O)/lib-obj/crt0.o \
	    $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(2)) \
	    -Wl,--start-group $(3) $$(RV_O)/lib/libruntime.a $$(RV_O)/lib/libkernel.a \
	    $$(RV_PICOLIBC_LIBS) -Wl,--end-group
ALL_TARGETS += $(RV_O)/pkg/$(1).elf
ALL_DEPFILES += $(patsubst %.c,$(RV_O)/lib-obj/%.d,$(2))
.SECONDARY: $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(2))
endef

# --- cJSON and the components that need it (issue 15 item 3) ---------------
# cJSON, cross-built with picolibc from Debian's source package, which
# mk/deps.sh unpacks into RV_CJSON_SRC (mk/debian-source.sh): Debian builds
# cJSON for the host only. Its header goes to $(RV_O)/include/cjson/ so
# that components include <cjson/cJSON.h> as on linux. Third-party code:
# compiled without our warning set (-Werror is for our code).
RV_CJSON_SRC ?= /usr/local/src/cjson
ifneq ($(wildcard $(RV_CJSON_SRC)/cJSON.c),)

RV_CJSON_CFLAGS := --specs=picolibc.specs -std=c17 $(RV_ARCH) -O2 -g \
    $(FILE_PREFIX_MAP)

$(RV_O)/include/cjson/cJSON.h: $(RV_CJSON_SRC)/cJSON.h
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(RV_O)/cjson-obj/cJSON.o: $(RV_CJSON_SRC)/cJSON.c $(RV_CJSON_SRC)/cJSON.h
	@mkdir -p $(@D)
	@echo "  RVCC    $<"
	$(Q)$(RISCV_CC) $(RV_CJSON_CFLAGS) -c -o $@ $<

$(RV_O)/lib/libcjson.a: $(RV_O)/cjson-obj/cJSON.o
	@mkdir -p $(@D)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

# libformat (runtime/format), for init, from FORMAT_SOURCES as on linux.
RV_FORMAT_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(FORMAT_SOURCES))
$(RV_O)/lib/libformat.a: $(RV_FORMAT_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^
$(RV_FORMAT_OBJS): RV_LIB_CFLAGS += -Iruntime/format/include

# Every object of a component that needs cJSON waits for its header.
RV_CJSON_COMPONENTS := hello counter_client report_rom init cjsoncheck
rv_hello_SRCS := pkg/hello/hello.c
rv_counter_client_SRCS := pkg/counter_client/main.c pkg/timer/timer_connection.c \
    $(call rpc_source,counter_session) $(call rpc_source,timer)
rv_report_rom_SRCS := $(REPORT_ROM_SOURCES)
rv_init_SRCS := $(INIT_SOURCES)
rv_cjsoncheck_SRCS := tests/riscv/rt/cjsoncheck.c
rv_init_LIBS := $(RV_O)/lib/libformat.a
RV_COMPONENTS += $(RV_CJSON_COMPONENTS)
RV_CJSON_OBJS := $(foreach c,$(RV_CJSON_COMPONENTS),\
    $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(rv_$(c)_SRCS))) $(RV_FORMAT_OBJS)
$(RV_CJSON_OBJS): $(RV_O)/include/cjson/cJSON.h
$(RV_CJSON_OBJS): RV_LIB_CFLAGS += -I$(RV_O)/include
$(patsubst %.c,$(RV_O)/lib-obj/%.o,$(rv_counter_client_SRCS)): RV_LIB_CFLAGS += -iquote pkg/timer
$(patsubst %.c,$(RV_O)/lib-obj/%.o,$(rv_init_SRCS)): RV_LIB_CFLAGS += -Iruntime/format/include
$(foreach c,$(RV_CJSON_COMPONENTS),$(eval rv_$(c)_LIBS += $(RV_O)/lib/libcjson.a))
ALL_TARGETS += $(RV_O)/lib/libcjson.a
ALL_DEPFILES += $(RV_FORMAT_OBJS:.o=.d)

else
$(info riscv: no cJSON source in $(RV_CJSON_SRC) (mk/deps.sh fetches it): core, hello, counter_client, report_rom and init are not built for riscv64)
endif
# --- end of cJSON and its components ----------------------------------------

$(foreach c,$(RV_COMPONENTS),$(eval $(call rv_component,$(c),$(rv_$(c)_SRCS),$(rv_$(c)_LIBS))))

.SECONDARY: $(RV_RT_OBJS)

ALL_TARGETS += $(RV_O)/lib/libkernel.a $(RV_O)/lib/libruntime.a $(RV_RT_ELFS)
ALL_DEPFILES += $(RV_LIBKERNEL_OBJS:.o=.d) $(RV_LIBKERNEL_PD_OBJS:.o=.d) $(RV_RUNTIME_OBJS:.o=.d) \
    $(RV_RT_OBJS:.o=.d)

# --- Devices (issue 15 item 2) ------------------------------------------
# pkg/uart, the ns16550a driver component; devroot, a root that hosts
# core's IRQ and IO_MEM services (core/irq_service.c, io_mem_service.c,
# linked in unchanged) until core runs on riscv; devprobe, a component
# that asks them and the kernel for what a driver must not get (it reaches
# the kernel's calls through sys.h, as the test programs do).
RV_DEV_ROOT_SRCS := tests/riscv/rt/devroot.c tests/riscv/rt/standin.c \
    core/irq_service.c core/io_mem_service.c
RV_DEV_ROOT_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(RV_DEV_ROOT_SRCS))
$(RV_O)/lib-obj/tests/riscv/rt/devroot.o: RV_LIB_CFLAGS += -Ikernel/riscv/user -iquote core
$(RV_O)/lib-obj/tests/riscv/rt/devprobe.o: RV_LIB_CFLAGS += -Ikernel/riscv/user

$(eval $(call rv_root,$(RV_O)/rt/devroot.elf,$(RV_DEV_ROOT_OBJS)))

$(eval $(call rv_component,uart,pkg/uart/main.c))
$(eval $(call rv_component,devprobe,tests/riscv/rt/devprobe.c))

# irqlatch, a root that drives the virtio entropy device itself to check
# how the kernel holds an interrupt until its driver acknowledges
# (core's virtio objects, with core's flags above).
RV_IRQLATCH_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,tests/riscv/rt/irqlatch.c \
    core/riscv/virtio_mmio.c core/riscv/virtqueue.c)
$(RV_O)/lib-obj/tests/riscv/rt/irqlatch.o: RV_LIB_CFLAGS += -Icore/riscv

$(eval $(call rv_root,$(RV_O)/rt/irqlatch.elf,$(RV_IRQLATCH_OBJS)))

ALL_TARGETS += $(RV_O)/rt/devroot.elf $(RV_O)/rt/irqlatch.elf
ALL_DEPFILES += $(RV_DEV_ROOT_OBJS:.o=.d)
.SECONDARY: $(RV_DEV_ROOT_OBJS)

endif

# --- make run-riscv-depot (issue 15 item 3) -----------------------------------
# A riscv64 system booted from the project's depot alone: the riscv64 bin
# archives and the kernel archive published, downloaded into a fresh depot
# and assembled into the boot image (mk/run-riscv-depot.sh,
# tests/riscv/depot-boot.sh). DEPOT_TREE_FLAGS as for `make run` (e.g.
# --bump-in-copy); RUN_RISCV_FLAGS passes --pkg, --root, --timeout.
.PHONY: run-riscv-depot
run-riscv-depot: deps
	@$(MAKE) --no-print-directory VARIANT=release build-variant
	@sh mk/run-riscv-depot.sh $(RUN_RISCV_FLAGS) $(DEPOT_TREE_FLAGS)
# --- end of make run-riscv-depot ------------------------------------------------

# --- the scenario components (issue 15 item 5) --------------------------------
# Test components of tests/scenarios/ that the portable scenarios install,
# cross-built from their unchanged sources for the riscv-scenarios suite
# (tests/riscv-scenarios/): init-probe (init's misbehaving child, needs
# cJSON) as init_probe.elf, output-probe (writes to stdout and stderr:
# core's capture of them, 01, 32) as output_probe.elf, hostile-probe
# (41: more than its quota, hostile_riscv.c its riscv part) as
# hostile_probe.elf; the scenario file
# names each by its linux
# binary name, the platform switch maps '-' to '_'. scenario-probe (the
# probe the harness installs as init) as scenario_probe.elf, with the
# riscv part of it (probe_riscv.c: the confinement commands attack the
# kernel's interface through sys.h's raw calls, as devprobe does).
ifeq ($(VARIANT)$(if $(RISCV_HAVE_CC),yes),releaseyes)
$(eval $(call rv_component,scenario_probe,tests/scenarios/components/probe.c \
    tests/scenarios/components/probe_rom.c \
    tests/scenarios/components/probe_riscv.c))
$(RV_O)/lib-obj/tests/scenarios/components/probe_riscv.o: RV_LIB_CFLAGS += -Ikernel/riscv/user
# rvremote: the remote scenarios' components (rpc-probe, vault-server,
# vault-probe; counter above, init-probe below), which need no cJSON.
$(eval $(call rv_component,rpc_probe,tests/scenarios/components/rpc_probe.c \
    $(call rpc_source,counter_session)))
$(eval $(call rv_component,vault_server,tests/scenarios/components/vault_server.c \
    $(call rpc_source,vault)))
$(eval $(call rv_component,vault_probe,tests/scenarios/components/vault_probe.c \
    $(call rpc_source,vault)))
ifneq ($(wildcard $(RV_CJSON_SRC)/cJSON.c),)
RV_SCENARIO_COMPONENTS := init_probe output_probe hostile_probe
rv_init_probe_SRCS := tests/scenarios/init/init_probe.c
rv_output_probe_SRCS := tests/scenarios/components/output_probe.c
rv_hostile_probe_SRCS := tests/scenarios/components/hostile_probe.c \
    tests/scenarios/components/hostile_riscv.c
RV_SCENARIO_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(rv_init_probe_SRCS) \
    $(rv_output_probe_SRCS) $(rv_hostile_probe_SRCS))
$(RV_SCENARIO_OBJS): $(RV_O)/include/cjson/cJSON.h
$(RV_SCENARIO_OBJS): RV_LIB_CFLAGS += -I$(RV_O)/include
$(foreach c,$(RV_SCENARIO_COMPONENTS),$(eval $(call rv_component,$(c),$(rv_$(c)_SRCS),$(RV_O)/lib/libcjson.a)))
endif
endif
# --- end of the scenario components --------------------------------------------

# --- the TLS link on riscv (issue 15, remote scenarios) -----------------------
# pkg/remote/link cross-built against OpenSSL for riscv64
# (mk/openssl-riscv.mk) as libremote_link.a, the parts that need no
# sockets (not stream_fd.c); tlslink, a root that opens a
# link between two of its threads over an in-memory stream pair, seeded
# by the board's virtio entropy device (core/riscv/virtio_rng.c,
# entropy.c). Only where Debian's OpenSSL source is unpacked (mk/deps.sh).
ifeq ($(VARIANT)$(if $(RISCV_HAVE_CC),yes),releaseyes)
ifneq ($(wildcard $(RV_OPENSSL_SRC)/debian-version),)
RV_REMOTE_LINK_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(addprefix \
    pkg/remote/link/,frame.c identity.c tls.c link.c reconnect.c))
RV_TLSLINK_SRCS := tests/riscv/rt/tlslink.c tests/riscv/rt/stream_pair.c \
    core/riscv/entropy.c core/riscv/virtio_rng.c core/riscv/virtio_mmio.c \
    core/riscv/virtqueue.c
RV_TLSLINK_OBJS := $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(RV_TLSLINK_SRCS))
# Only the objects that include OpenSSL's headers wait for its build:
# core's own objects among RV_TLSLINK_OBJS (virtqueue.c ...) are core.elf's
# too, which `depot build` makes without OpenSSL.
RV_OPENSSL_USERS := $(RV_REMOTE_LINK_OBJS) $(patsubst %.c,$(RV_O)/lib-obj/%.o,\
    tests/riscv/rt/tlslink.c tests/riscv/rt/stream_pair.c)
$(RV_OPENSSL_USERS): $(RV_OPENSSL_LIBS)
$(RV_OPENSSL_USERS): RV_LIB_CFLAGS += $(RV_OPENSSL_INCLUDES) \
    -Ipkg/remote/link/include
$(RV_TLSLINK_OBJS): RV_LIB_CFLAGS += -Icore/riscv -Ikernel/riscv/user

$(RV_O)/lib/libremote_link.a: $(RV_REMOTE_LINK_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(RV_O)/rt/tlslink.elf: $(RV_TLSLINK_OBJS) $(RV_O)/lib-obj/crt0.o \
    $(RV_O)/lib/libremote_link.a $(RV_OPENSSL_LIBS) $(RV_O)/lib/libruntime.a \
    $(RV_O)/lib/libkernel.a $(RV_O)/lib/libkernel_pd.a kernel/riscv/lib/component.ld
	@mkdir -p $(@D)
	@echo "  RVLD    $@"
	$(Q)$(RISCV_CC) $(RV_ARCH) -nostdlib -static -Wl,--build-id=none \
	    -T kernel/riscv/lib/component.ld -o $@ $(RV_O)/lib-obj/crt0.o \
	    $(RV_TLSLINK_OBJS) -Wl,--start-group $(RV_O)/lib/libremote_link.a \
	    $(RV_OPENSSL_LIBS) $(RV_O)/lib/libruntime.a $(RV_O)/lib/libkernel.a \
	    $(RV_O)/lib/libkernel_pd.a $(RV_PICOLIBC_LIBS) -Wl,--end-group

ALL_TARGETS += $(RV_O)/rt/tlslink.elf
ALL_DEPFILES += $(RV_REMOTE_LINK_OBJS:.o=.d) $(RV_TLSLINK_OBJS:.o=.d)
.SECONDARY: $(RV_REMOTE_LINK_OBJS) $(RV_TLSLINK_OBJS)

# The remote proxies (pkg/remote/README.md, "On riscv") from the sources
# of their linux builds (pkg/remote/module.mk), with the link over a
# stream capability (kstream/) and cJSON; their TLS seeds itself from
# libruntime's getentropy() (an Entropy session at core). None of their
# own objects includes OpenSSL's headers (libremote_link.a's do).
ifneq ($(wildcard $(RV_CJSON_SRC)/cJSON.c),)
RV_REMOTE_PROXIES := remote_rom_server remote_rom_client remote_rpc_server \
    remote_rpc_client
RV_REMOTE_KSTREAM := pkg/remote/kstream/stream_cap.c
rv_remote_rom_server_SRCS := pkg/remote/rom/server.c $(REMOTE_ROM_COMMON) $(RV_REMOTE_KSTREAM)
rv_remote_rom_client_SRCS := pkg/remote/rom/client.c $(REMOTE_ROM_COMMON) $(RV_REMOTE_KSTREAM)
rv_remote_rpc_server_SRCS := pkg/remote/rpc/server.c $(REMOTE_RPC_COMMON) $(RV_REMOTE_KSTREAM)
rv_remote_rpc_client_SRCS := pkg/remote/rpc/client.c $(REMOTE_RPC_COMMON) $(RV_REMOTE_KSTREAM)
RV_REMOTE_OBJS := $(sort $(foreach c,$(RV_REMOTE_PROXIES),\
    $(patsubst %.c,$(RV_O)/lib-obj/%.o,$(rv_$(c)_SRCS))))
$(RV_REMOTE_OBJS): $(RV_O)/include/cjson/cJSON.h
$(RV_REMOTE_OBJS): RV_LIB_CFLAGS += -I$(RV_O)/include -Ipkg/remote/link/include \
    -Ipkg/remote/kstream/include -Ipkg/remote/rom
$(foreach c,$(RV_REMOTE_PROXIES),$(eval $(call rv_component,$(c),$(rv_$(c)_SRCS),\
    $(RV_O)/lib/libremote_link.a $(RV_OPENSSL_LIBS) $(RV_O)/lib/libcjson.a)))
# As their bin archive ships them (recipes/src/remote/build.riscv64):
# without symbols, ~1.9 instead of ~3.5 MB (OpenSSL is most of each), so
# that a node's boot image holds all four beside core and init. strip
# writes the same bytes for the same ELF.
$(RV_O)/stripped/%.elf: $(RV_O)/pkg/%.elf
	@mkdir -p $(@D)
	@echo "  RVSTRIP $@"
	$(Q)riscv64-unknown-elf-strip -o $@ $<
endif
endif
endif
# --- end of the TLS link on riscv ----------------------------------------------
