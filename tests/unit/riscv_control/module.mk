# Unit tests of the host's end of the control channel of core on riscv
# (kernel/riscv/tool/: the ROM and archive frames and the files they
# push), with every bound of core's.
$(call unit_test,rvcontrol_frames,tests/unit/riscv_control/control_frame_test.c,rvcontrol,)
