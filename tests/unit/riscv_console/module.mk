# Unit tests of the host's end of the riscv console (kernel/riscv/tool/:
# the frame decoder and the files it makes), with hostile input.
$(call unit_test,rvreport_console,tests/unit/riscv_console/rvreport_console_test.c,rvconsole,)
