# The riscv64 kernel (this folder) and its user test programs
# (tests/riscv/progs/), cross-built with riscv64-unknown-elf-gcc into
# build/release/riscv/. Built only in the release variant and only where
# the cross compiler is installed (mk/deps.sh installs it); without it the
# host build is unaffected and tests/riscv/run-suite says what is missing.
#
#   build/release/riscv/kernel.elf        the kernel, for qemu -kernel
#   build/release/riscv/progs/NAME.elf    test programs, boot modules
#   build/<variant>/bin/riscv-bootimage   packs modules into a boot image
#
# `make run-riscv` boots the kernel under QEMU with a boot image of
# RISCV_MODULES (NAME=FILE..., the root first; default: core itself
# (core/riscv/) with init itself and the counter demo's init.config
# (recipes/raw/riscv_demo_config), starting log_server, timer, counter
# and counter_client, as pkg/riscv_counter_demo does from a depot; the
# first IPC demo is RISCV_MODULES="parent=build/release/riscv/progs/
# parent.elf server=build/release/riscv/progs/server.elf") and exits with
# the kernel's status (kernel/riscv/finisher.h). Ctrl-A X leaves QEMU early.

# The host tool that packs boot modules into a boot image (any variant),
# over the image writer library that `sculpt boot --platform qemu-riscv64`
# links too.
$(call library,bootimage,kernel/riscv/tool/image_writer.c kernel/riscv/tool/boot_name.c,kernel/riscv/tool,,)
$(call program,riscv-bootimage,kernel/riscv/tool/bootimage.c,bootimage,)
# The host's end of the console (kernel/riscv/hostframe.h): riscv-console
# turns QEMU's output into the text, log files, reports and live domains
# of a target directory, over the decoder library its unit test links.
# It links core's log pieces (core_log, core/module.mk: the printable
# rule and the terminal's rate limit), so a tree without core/ (the
# depot's build of the kernel alone, recipes/src/kernel_riscv) has no
# riscv-console.
ifneq ($(wildcard core/module.mk),)
$(call library,rvconsole,$(addprefix kernel/riscv/tool/,cksum.c decimal.c \
    console_decode.c host_files.c),kernel/riscv/tool,core_log,)
$(call program,riscv-console,kernel/riscv/tool/console.c,rvconsole,)
# The host's end of the control channel (core/riscv/control.c): the
# writer of the ROM and archive frames and the reader of what they push,
# linked by riscv-push-rom, riscv-push-archive and by sculpt, which pushes
# a new config and the archives it installs to a running riscv target
# (OpenSSL's SHA-256 for an archive's files).
$(call library,rvcontrol,$(addprefix kernel/riscv/tool/,control_frame.c \
    push_files.c),kernel/riscv/tool,rvconsole hex,-lcrypto)
$(call program,riscv-push-rom,kernel/riscv/tool/push_rom.c,rvcontrol,)
$(call program,riscv-push-archive,kernel/riscv/tool/push_archive.c,rvcontrol,)
endif
# The host side of a riscv machine's network, read from the net.policy its
# core enforces: the virtio ports QEMU bridges to host TCP sockets.
$(call library,rvnetwiring,kernel/riscv/tool/net_wiring.c,kernel/riscv/tool,,-lcjson)
$(call program,riscv-net-wiring,kernel/riscv/tool/net_wiring_tool.c,rvnetwiring,)

# RISCV_CC and RV_ARCH: mk/riscv-arch.mk
RISCV_HAVE_CC := $(shell command -v $(RISCV_CC) 2>/dev/null)

ifeq ($(VARIANT)$(if $(RISCV_HAVE_CC),yes),releaseyes)

RV_O := $(O)/riscv
# FILE_PREFIX_MAP: set by `depot build` (-ffile-prefix-map=<tree>=.), so
# that a build in a scratch tree is reproducible; empty otherwise. The
# assembler takes it as --debug-prefix-map (entry.S's debug information).
RV_COMMA := ,
RV_PREFIX_MAP := $(FILE_PREFIX_MAP) \
    $(patsubst -ffile-prefix-map=%,-Wa$(RV_COMMA)--debug-prefix-map=%,$(FILE_PREFIX_MAP))
RV_CFLAGS := -std=c17 $(RV_ARCH) -ffreestanding -nostdlib -fno-builtin \
    -fno-tree-loop-distribute-patterns -fno-stack-protector -fno-pic \
    -O2 -flto -g -MMD -MP $(WARNINGS) $(RV_PREFIX_MAP)
RV_LDFLAGS := $(RV_ARCH) -O2 -flto -nostdlib -static -Wl,--build-id=none \
    $(FILE_PREFIX_MAP)

RV_KERNEL_SRCS := $(addprefix kernel/riscv/,entry.S main.c sbi.c console.c \
    finisher.c panic.c string.c page.c vm.c elf.c bootmod.c cap.c ipc.c signal.c waitset.c mem.c irq.c thread.c timer.c \
    syscall.c sys_ipc.c sys_thread.c sys_mem.c sys_pd.c trap.c outring.c)
# rvkern: registered IPC buffers
RV_KERNEL_SRCS += kernel/riscv/ipcbuf.c
# rvnet: streams
RV_KERNEL_SRCS += kernel/riscv/stream.c kernel/riscv/sys_stream.c
RV_KERNEL_OBJS := $(patsubst %,$(RV_O)/obj/%.o,$(RV_KERNEL_SRCS))

RV_PROGS := hello ticks fault badptr parent server threads sigroot sigchild caps blocked spawn bench kserver
# rvkern: domains from memory objects, IPC buffers, priorities, quotas
RV_PROGS += imgroot ipcbuf prio prioself quota quotachild
# rvkern2: device grants taken back, kernel-object quotas
RV_PROGS += devgrant devdriver objquota objchild
# rvkmsg: what is pending in a waitset
RV_PROGS += wsready
# rvheap: every domain slot at once with its share of the pools
RV_PROGS += slots slotchild
# rvvirtio: physical addresses for the root's DMA
RV_PROGS += memphys memphyschild
# rvsoak: what the kernel holds for a domain
RV_PROGS += usage usagechild
# rvkern: no new code (kconfine_forbid_open)
RV_PROGS += nocode
# rvkern: threads by name and their switch counts
RV_PROGS += switches
RV_PROG_ELFS := $(patsubst %,$(RV_O)/progs/%.elf,$(RV_PROGS) libc)

$(RV_O)/obj/kernel/riscv/%.o: kernel/riscv/%
	@mkdir -p $(@D)
	@echo "  RVCC    $<"
	$(Q)$(RISCV_CC) $(RV_CFLAGS) -Ikernel/include -c -o $@ $<

# The memory functions stay out of link-time optimization: GCC emits calls
# to them after LTO has decided nothing uses them.
$(RV_O)/obj/kernel/riscv/string.c.o: RV_CFLAGS += -fno-lto

$(RV_O)/kernel.elf: $(RV_KERNEL_OBJS) kernel/riscv/kernel.ld
	@mkdir -p $(@D)
	@echo "  RVLD    $@"
	$(Q)$(RISCV_CC) $(RV_LDFLAGS) -T kernel/riscv/kernel.ld -o $@ $(RV_KERNEL_OBJS)

$(RV_O)/obj/user/crt0.o: kernel/riscv/user/crt0.S
	@mkdir -p $(@D)
	$(Q)$(RISCV_CC) $(RV_CFLAGS) -c -o $@ $<

$(RV_O)/obj/progs/%.o: tests/riscv/progs/%.c
	@mkdir -p $(@D)
	@echo "  RVCC    $<"
	$(Q)$(RISCV_CC) $(RV_CFLAGS) -Ikernel/riscv/user -Ikernel/include -c -o $@ $<

# Programs with picolibc (Debian's picolibc-riscv64-unknown-elf): its
# headers and libc.a, our crt0 and linker script.
RV_LIBC_PROGS := libc
RV_PICOLIBC := --specs=picolibc.specs
# The rv64imac/lp64 multilib by path: GCC 12 picks the default (rv64gc,
# double float) for a -march naming zicsr and zifencei.
RV_PICOLIBC_LIBS := /usr/lib/picolibc/riscv64-unknown-elf/lib/rv64imac/lp64/libc.a \
    $(shell $(RISCV_CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name)

$(RV_O)/obj/libc-progs/%.o: tests/riscv/progs/%.c
	@mkdir -p $(@D)
	@echo "  RVCC    $<"
	$(Q)$(RISCV_CC) $(RV_PICOLIBC) $(RV_CFLAGS) -Ikernel/riscv/user -c -o $@ $<

$(patsubst %,$(RV_O)/progs/%.elf,$(RV_LIBC_PROGS)): $(RV_O)/progs/%.elf: \
    $(RV_O)/obj/libc-progs/%.o $(RV_O)/obj/user/crt0.o kernel/riscv/user/user.ld
	@mkdir -p $(@D)
	@echo "  RVLD    $@"
	$(Q)$(RISCV_CC) $(RV_LDFLAGS) -T kernel/riscv/user/user.ld \
	    -o $@ $(RV_O)/obj/user/crt0.o $< $(RV_PICOLIBC_LIBS)

$(RV_O)/progs/%.elf: $(RV_O)/obj/progs/%.o $(RV_O)/obj/user/crt0.o kernel/riscv/user/user.ld
	@mkdir -p $(@D)
	@echo "  RVLD    $@"
	$(Q)$(RISCV_CC) $(RV_LDFLAGS) -T kernel/riscv/user/user.ld -o $@ \
	    $(RV_O)/obj/user/crt0.o $<

# The program objects are kept (not intermediate), so a second make has
# nothing to do.
.SECONDARY: $(patsubst %,$(RV_O)/obj/progs/%.o,$(RV_PROGS)) \
    $(RV_O)/obj/libc-progs/libc.o

RISCV_MODULES ?= core=$(RV_O)/core/core.elf init=$(RV_O)/pkg/init.elf \
    init.config=recipes/raw/riscv_demo_config/init.config \
    log_server=$(RV_O)/pkg/log_server.elf timer=$(RV_O)/pkg/timer.elf \
    counter=$(RV_O)/pkg/counter.elf counter_client=$(RV_O)/pkg/counter_client.elf
RISCV_OPENSBI ?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
# Where riscv-console puts what the machine leaves (log/, report/, the
# live domains; kernel/riscv/hostframe.h) while the console shows the text.
RISCV_RUN_DIR ?= $(RV_O)/run
# QEMU's arguments for core's control channel, a virtio console whose
# input is the fifo $(RISCV_RUN_DIR)/control (tests/riscv/push-rom NAME
# FILE >that fifo), and for core's frames to the host, a second one whose
# output is the fifo $(RISCV_RUN_DIR)/frames that riscv-console reads,
# from the one place the shell harnesses take them too.
RISCV_CONTROL_QEMU = $(shell . ./tests/riscv/qemu-control.sh && \
    rv_control_args $(RISCV_RUN_DIR)/control $(RISCV_RUN_DIR)/frames)

.PHONY: run-riscv
run-riscv: deps
	@$(MAKE) --no-print-directory VARIANT=release $(RV_O)/kernel.elf \
	    $(RV_PROG_ELFS) $(RV_O)/rt/core.elf $(RV_O)/core/core.elf \
	    $(RV_O)/pkg/init.elf $(RV_O)/pkg/log_server.elf \
	    $(RV_O)/pkg/timer.elf $(RV_O)/pkg/counter.elf \
	    $(RV_O)/pkg/counter_client.elf $(O)/bin/riscv-bootimage \
	    $(O)/bin/riscv-console
	$(O)/bin/riscv-bootimage $(RV_O)/boot.img $(RISCV_MODULES)
	@mkdir -p $(RISCV_RUN_DIR)
	@[ -p $(RISCV_RUN_DIR)/control ] || mkfifo $(RISCV_RUN_DIR)/control
	@[ -p $(RISCV_RUN_DIR)/frames ] || mkfifo $(RISCV_RUN_DIR)/frames
	@echo "control channel: sh tests/riscv/push-rom NAME FILE >$(RISCV_RUN_DIR)/control"
	{ qemu-system-riscv64 -machine virt -m 128M -smp 1 -nographic \
	    -bios $(RISCV_OPENSBI) -kernel $(RV_O)/kernel.elf \
	    -device loader,file=$(RV_O)/boot.img,addr=0x87000000,force-raw=on \
	    $(RISCV_CONTROL_QEMU) \
	    -icount shift=0,sleep=off; echo $$? >$(RISCV_RUN_DIR)/.status; } | \
	    $(O)/bin/riscv-console --frames $(RISCV_RUN_DIR)/frames \
	    $(RISCV_RUN_DIR); \
	    exit $$(cat $(RISCV_RUN_DIR)/.status)

ALL_TARGETS += $(RV_O)/kernel.elf $(RV_PROG_ELFS)
ALL_DEPFILES += $(RV_KERNEL_OBJS:.o=.d) $(RV_O)/obj/user/crt0.d \
    $(patsubst %,$(RV_O)/obj/progs/%.d,$(RV_PROGS)) $(RV_O)/obj/libc-progs/libc.d

else

.PHONY: run-riscv
run-riscv: deps
	@if command -v $(RISCV_CC) >/dev/null; then \
	  $(MAKE) --no-print-directory VARIANT=release run-riscv; \
	else \
	  echo "run-riscv: $(RISCV_CC) not found (make deps installs it)"; exit 1; \
	fi

endif
