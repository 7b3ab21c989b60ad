# sculpt: the user's host tool that ties the depot to a target
# (sculpt-cli/README.md). libsculpt (sculpt-cli/lib) holds its pure parts
# (composition, generation, plan text, state directory, depot users) so the
# unit tests link them; the tool is one file per verb (cmd_*.c) over the
# table in verbs.c. Links libformat and libdepot, never libruntime;
# depot/tool/arch.c (the host's arch, as `depot build` names it) is reused;
# `boot --platform qemu-riscv64` writes boot images with kernel/riscv's
# image writer library (bootimage).
SCULPT_LIB_SOURCES := $(wildcard sculpt-cli/lib/*.c)
$(call library,sculpt,$(SCULPT_LIB_SOURCES),sculpt-cli,depot format grow,-lcjson)
SCULPT_SOURCES := $(wildcard sculpt-cli/*.c) depot/tool/arch.c
$(call program,sculpt,$(SCULPT_SOURCES),sculpt options bootimage rvcontrol rvnetwiring,-ledit)
$(call objects_of,$(SCULPT_SOURCES)): INCLUDES += -iquote sculpt-cli -iquote depot/tool
