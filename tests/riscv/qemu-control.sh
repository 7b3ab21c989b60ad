# shellcheck shell=sh
# QEMU's arguments for core's control channel on riscv (core/riscv/
# control.c), sourced by the shell harnesses that boot the riscv target
# (tests/riscv/run-suite, tests/riscv-scenarios/qemu-riscv64.sh,
# tests/riscv/depot-boot.sh) and by kernel/riscv/module.mk for `make
# run-riscv` (RISCV_CONTROL_QEMU): the one place they are written for
# the shell; sculpt-cli/boot_riscv.c's control_channel() is its C twin.
#
# The channel is a virtio console (virtio-serial, modern virtio-mmio:
# core drives no legacy device) whose input is a fifo the host writes
# frames into (tests/riscv/push-rom); QEMU opens it read-write, so it
# never sees the end of its input and a writer's open never blocks once
# QEMU runs. Core's frames to the host stay on the UART console.

# rv_control_args FIFO: the arguments, one word each (FIFO holds no
# spaces), for `$(rv_control_args FIFO)` unquoted.
rv_control_args() {
  echo "-global virtio-mmio.force-legacy=false -device virtio-serial-device" \
       "-device virtconsole,chardev=control -chardev pipe,id=control,path=$1"
}
