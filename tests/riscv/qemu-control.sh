# shellcheck shell=sh
# QEMU's arguments for core's control channel on riscv (core/riscv/
# control.c), for its frames to the host (core/riscv/host_frames.h) and
# for its entropy device (core/riscv/entropy_service.h: the components'
# getentropy(), which the TLS of the remote proxies needs),
# sourced by the shell harnesses that boot the riscv target
# (tests/riscv/run-suite, tests/riscv-scenarios/qemu-riscv64.sh,
# tests/riscv/depot-boot.sh) and by kernel/riscv/module.mk for `make
# run-riscv` (RISCV_CONTROL_QEMU): the one place they are written for
# the shell; sculpt-cli/boot_riscv.c's control_channel() is its C twin.
#
# Two virtio consoles (virtio-serial, modern virtio-mmio: core drives no
# legacy device), in this order: the board gives the first the highest
# transport, where core looks for the control channel first
# (core/riscv/virtio_console.c). The first's input is a fifo the host
# writes frames into (tests/riscv/push-rom); QEMU opens it read-write, so
# it never sees the end of its input and a writer's open never blocks
# once QEMU runs. The second's port 1 (a serial port: QEMU holds its
# bytes while the fifo is full, where it drops a console port's) writes
# into a fifo that riscv-console reads (--frames FIFO): core's frames and
# its own log lines, in core's order; QEMU opens it read-write too and
# never reads it (core sets up no receive queue on that port). Without the second (no FRAMES:
# tests/riscv/depot-boot.sh, whose output is QEMU's console alone), core's
# frames go on the UART. Last, a virtio entropy device (modern too), fed
# by the host's /dev/urandom.

# rv_control_args FIFO [FRAMES]: the arguments, one word each (the paths
# hold no spaces and no commas), for `$(rv_control_args FIFO FRAMES)`
# unquoted; the fifos must exist before QEMU starts.
rv_control_args() {
  echo "-global virtio-mmio.force-legacy=false" \
       "-device virtio-serial-device,id=control-serial" \
       "-device virtconsole,bus=control-serial.0,chardev=control" \
       "-chardev pipe,id=control,path=$1"
  [ -z "${2:-}" ] ||
    echo "-device virtio-serial-device,id=frames-serial" \
         "-device virtserialport,bus=frames-serial.0,nr=1,chardev=frames" \
         "-chardev pipe,id=frames,path=$2"
  echo "-device virtio-rng-device"
}

# rv_net_args PORT...: a third virtio-serial device (after rv_control_args'
# two: core takes the third console on the board for its net ports,
# core/riscv/net_ports.h) with one virtserialport per PORT, each bridged
# to a host TCP socket on 127.0.0.1. PORT is NODE:TCP:dial (QEMU dials
# the host's TCP port and dials again while it is closed) or
# NODE:TCP:listen (QEMU listens there, without waiting for a client);
# the port is named net.NODE (NODE: letters, digits, '-', '_', '.'):
# core's Net service connects a client to node N through port
# net.N.PORT, PORT the policy's entry's (core/riscv/net_service.h), so
# NODE is N.PORT for it. PORT:TCP:accept is a listening one named
# listen.PORT, where the service's accept(PORT) takes what connects.
rv_net_args() {
  echo "-device virtio-serial-device,id=net-serial"
  n=0
  for spec in "$@"; do
    n=$((n + 1))
    node=${spec%%:*} rest=${spec#*:}
    tcp=${rest%%:*} mode=${rest#*:}
    case $mode in
      dial|listen) rv_net_port "$n" "net.$node" 127.0.0.1 "$tcp" "$mode" ;;
      accept) rv_net_port "$n" "listen.$node" 127.0.0.1 "$tcp" listen ;;
      *) echo "rv_net_args: $spec: the mode is dial, listen or accept" >&2; return 1 ;;
    esac
  done
}

# rv_net_port N NAME ADDRESS TCP dial|listen: the words of port N of the
# net-serial device, named NAME, bridged to ADDRESS:TCP, which QEMU dials
# (again while it is closed) or listens on (not waiting for a client);
# also for the ports a machine's net.policy names (riscv-net-wiring,
# tests/riscv-scenarios/qemu-riscv64.sh).
rv_net_port() {
  echo "-device $(rv_net_serialport "$1" "$2") -chardev $(rv_net_chardev "$1" "$3" "$4" "$5")"
}

# The two halves of rv_net_port, as QEMU's monitor takes them too when a
# port is added to a running machine (qemu-riscv64.sh, rv_net_rewire):
# the port of the device, and the host socket it is bridged to.
rv_net_serialport() { echo "virtserialport,bus=net-serial.0,chardev=net$1,name=$2"; }
rv_net_chardev() {
  case $4 in
    dial) echo "socket,id=net$1,host=$2,port=$3,reconnect=1" ;;
    *) echo "socket,id=net$1,host=$2,port=$3,server=on,wait=off" ;;
  esac
}
