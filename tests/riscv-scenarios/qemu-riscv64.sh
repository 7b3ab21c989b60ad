# The platform qemu-riscv64 of the scenario harness: tests/scenarios/lib.sh
# sources this file last when SCENARIO_PLATFORM=qemu-riscv64, and its
# functions replace those of the linux platform, so that a scenario file runs
# unchanged on our riscv64 kernel under QEMU (issue 15 item 5).
#
#   install_module BINARY NAME   $BUILD_RELEASE/riscv/pkg/BINARY.elf ('-'
#                                as '_') as boot module NAME; while the
#                                machine runs, pushed to it (stripped)
#   write_config NAME TEXT       config/NAME, a boot module too; while
#                                the machine runs, also pushed to it over
#                                the control channel (rv_push)
#   start_core [OPTIONS]         boot image of core.elf (module 0; the
#                                binary: $CORE_BINARY, default the
#                                build's), its options --init-ram,
#                                --init-caps, --exit-with-init and --base
#                                PKG (module core.args), the modules and
#                                the configs, booted by QEMU
#                                under `timeout -k` with -icount
#                                shift=0,sleep=off (sleep=$RV_ICOUNT_SLEEP
#                                when a scenario sets it: "on" keeps the
#                                guest's clock to the host's, where an
#                                idle guest's would jump ahead); the
#                                console through
#                                riscv-console: text in $T/out, log/,
#                                report/, live domains; $CORE_PID
#                                ends with QEMU's exit status, which is
#                                core's exit code (the virt test
#                                finisher), 124 on the time limit; with
#                                --base PKG the kernel is that of the
#                                kernel archive PKG lists, if it lists one
#   run_core [OPTIONS]           (12) core.args holding OPTIONS as
#                                they are, core judges them; the machine
#                                booted and run to its end, whose status
#                                (core's exit code) is run_core's
#   stop_core                    if the machine runs: a stop frame
#                                (tests/riscv/stop-request) on the
#                                control channel, as linux's SIGTERM to
#                                core, and up to $SCENARIO_STOP_WAIT s
#                                (10) for the machine to end by itself;
#                                then SIGTERM to QEMU if it still runs;
#                                then nothing may be left running in $T
#   install_archive NAME DIR     as on linux (`depot extract` into
#                                $T/depot; so are `depot download`s into
#                                $T/depot); start_core puts every file of
#                                every installed archive into the boot
#                                image as module ARCHIVE/FILE, which core
#                                serves for rom_from="depot"; while
#                                the machine runs, pushed to it
#                                (tests/riscv/push-archive)
#   program_file BINARY          $BUILD_RELEASE/riscv/pkg/BINARY.elf ('-'
#                                as '_'), with $SCENARIO_ARCH riscv64:
#                                the bin archives init runs here
#
# What the platform cannot do makes the scenario say "not on this
# platform: REASON" and exit with 77, up front where the scenario file
# shows it (platform_refuse_unportable, run when lib.sh is sourced), or at
# the call that needs it otherwise. Core on riscv has no files (ROMs are
# boot modules) and no Net service; the host stops it with a stop frame
# on the control channel (core/riscv/control_stop.h), or it ends with
# init (--exit-with-init). What linux core writes into $T
# (log files, reports) and the domains' identities come as frames on a
# second virtio console (the fifo $T/frames, with core's own lines, in
# core's order), which riscv-console turns into the same files (README.md).
#   pid_of NAME                  "dID" of the live domain whose name ends
#                                with NAME ($T/domains); wait_pid and
#                                same_process are lib.sh's over it
#   running_components           "core" while the machine runs, and the
#                                live domains as pid_of names them
#   leak_measures SLACK_KB NAME PID...
#                                what the kernel holds for core and each
#                                domain (PID its "dID"), and the
#                                machine's RAM taken: core's usage report
#   thread_switches PID NAME     how often the thread NAME of domain PID
#                                ("dID") was switched to, and the guest's
#                                clock: core's usage report too

RV_DIR=$BUILD_RELEASE/riscv
RV_TOP=$(cd "$(dirname "$0")/../.." && pwd)
RV_BIOS=${OPENSBI:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
RV_MODULE_ADDR=0x87000000   # MODULE_BASE, kernel/riscv/arch.h
RV_RAM_MB=128               # the machine's RAM (-m)
# The host's end of the console: text, log files, reports, live domains.
RV_CONSOLE=$BUILD_RELEASE/bin/riscv-console
# One machine's wall-clock limit; a scenario's waits are shorter.
RV_QEMU_TIMEOUT=${SCENARIO_QEMU_TIMEOUT:-40}
# rv_control_args FIFO FRAMES: QEMU's arguments for the control channel
# and the frames' console
. "$RV_TOP/tests/riscv/qemu-control.sh"
NOT_HERE_STATUS=77
# init on riscv runs bin archives of riscv64 (PKG_BIN_ARCH)
# shellcheck disable=SC2034 # read by the scenarios
SCENARIO_ARCH=riscv64
# the exception's cause and name (runtime/fault_words.h)
# shellcheck disable=SC2034 # read by the scenarios
PROBE_CRASH_FAULT='exception 15, store page fault'

not_on_platform() {
  echo "# not on this platform (qemu-riscv64): $*"
  exit "$NOT_HERE_STATUS"
}

# platform_refuse_unportable FILE: refuses a scenario whose file uses what
# this platform lacks, before it starts anything.
platform_refuse_unportable() {
  f=$1
  [ -f "$f" ] || return 0
  why=""
  # a marked scenario keeps its pipe checks in its linux branch (31)
  grep -qE 'orphan_pipes|pipes_of' "$f" &&
    ! grep -qx '# portable: qemu-riscv64' "$f" &&
    why="$why; core's output pipes (a domain's output goes through the kernel)"
  # the README's linux block boots linux core on the host (a marked
  # scenario runs the riscv block on this platform: 40)
  grep -qF '<!-- boot-from-depot' "$f" &&
    ! grep -qx '# portable: qemu-riscv64' "$f" &&
    why="$why; the README's boot-from-depot steps, which run linux core on the host"
  # the riscv probe attacks the kernel instead (05, 13: probe_riscv.c);
  # a system library is linux's (a marked scenario keeps it in its linux
  # branch: 11 maps code on riscv)
  grep -qE 'forbid-open|open-library' "$f" &&
    ! grep -qx '# portable: qemu-riscv64' "$f" &&
    why="$why; confinement checks of the linux platform"
  # a node's core started by hand in a namespace; remote_netns puts each
  # node's machine in its namespace (a marked scenario keeps its nsenter
  # in its linux branch: 79)
  grep -qE '^[^#]*nsenter' "$f" && ! grep -qx '# portable: qemu-riscv64' "$f" &&
    why="$why; a node's linux core started by hand in a network namespace"
  # a marked scenario keeps linux core's command line in its linux
  # branch (12: riscv's is boot module core.args, run_core)
  grep -qE 'bin/core' "$f" && ! grep -qx '# portable: qemu-riscv64' "$f" &&
    why="$why; core's command line (core on riscv reads boot module core.args)"
  # make run's script boots a riscv64 machine when told the platform
  grep -qF 'mk/run.sh' "$f" && ! grep -qF -- '--platform qemu-riscv64' "$f" &&
    why="$why; make run's linux target"
  [ -z "$why" ] || not_on_platform "${why#; }"
}

program_file() { echo "$RV_DIR/pkg/$(printf '%s' "$1" | tr - _).elf"; }

install_module() {
  elf=$(program_file "$1")
  [ -f "$elf" ] || fail "no riscv64 build of $1 ($elf)"
  cp "$elf" "$T/boot/$2"
  if core_running; then
    # Symbols are most of an ELF of ours (~85 KB of ~800 KB) and a
    # pushed ROM stays in core's memory, so the program goes without
    # them.
    riscv64-unknown-elf-strip -o "$T/.push-$2" "$elf" ||
      fail "riscv64-unknown-elf-strip $elf failed"
    rv_push "$2" "$T/.push-$2"
  fi
}

write_config() {
  printf '%s\n' "$2" > "$T/config/.$1.tmp" && mv "$T/config/.$1.tmp" "$T/config/$1"
  # as the image holds it: config/NAME (core serves it before NAME); a
  # new net.policy's ports are wired before core lets anyone use them
  if core_running; then
    [ "$1" != net.policy ] || rv_net_rewire
    rv_push "config/$1" "$T/config/$1"
  fi
}

# The control channel (core/riscv/control.c): a virtio console whose
# input is the fifo $T/in, which this shell holds open on fd $RV_FD (9;
# node a of the remote scenarios: 8, remote-riscv64.sh) from start_core
# to stop_core (QEMU sees no end of input). rv_push NAME FILE writes one
# frame (tests/riscv/push-rom) into it, bounded by `timeout` in case the
# machine stops reading, and waits until core took it or refused it: the
# next step of a scenario may depend on it (linux: the file is in place
# when write_config returns). install_archive does the same with an
# archive frame (tests/riscv/push-archive).
RV_PUSH_TIMEOUT=${SCENARIO_PUSH_TIMEOUT:-30}
RV_FD=9
# a network namespace (its path) QEMU runs in, its host sockets there:
# the remote scenarios' nodes (remote-riscv64.sh)
RV_NETNS=""
rv_push() {
  sh "$RV_TOP/tests/riscv/push-rom" "$1" "$2" >"$T/.frame" ||
    fail "push-rom $1 $2 failed"
  rv_send ROM "$1"
}

# rv_send WHAT NAME: writes the frame $T/.frame (of ROM or archive NAME)
# into the machine and waits for core's answer about it. Its variables are
# named rv_*: a write_config must leave the scenario's own (38's `before`)
# alone, as on linux.
rv_send() {
  rv_before=$(rv_answers "$1" "$2" | wc -l)
  timeout -k 1 "$RV_PUSH_TIMEOUT" cat "$T/.frame" >&"$RV_FD" ||
    fail "pushing $1 $2 to the machine: not taken within ${RV_PUSH_TIMEOUT}s"
  rv_tries=$((RV_PUSH_TIMEOUT * 10))
  while [ "$(rv_answers "$1" "$2" | wc -l)" = "$rv_before" ]; do
    [ -f "$T/.status" ] && fail "the machine ended (status $(cat "$T/.status")) while $1 $2 was pushed"
    [ "$rv_tries" -gt 0 ] || fail "core did not answer the push of $1 $2 within ${RV_PUSH_TIMEOUT}s"
    rv_tries=$((rv_tries - 1)); sleep 0.1
  done
  rv_answers "$1" "$2" | tail -n 1 | grep -qF "control: $1 '$2' pushed, " ||
    fail "core refused the push of $1 $2: $(rv_answers "$1" "$2" | tail -n 1)"
}

# rv_answers WHAT NAME: core's answers to pushes of ROM or archive NAME
# so far, and the refusals of frames whose header named nothing.
rv_answers() {
  grep -F -e "control: $1 '$2' " -e "control: frame refused" \
    -e "control: archive frame refused" "$T/out" 2>/dev/null
}

# The installed archives of $T/depot, one a line (each DIR/A.manifest
# beside DIR/A/; .staging holds unfinished installs).
rv_archives() {
  [ -d "$T/depot" ] || return 0
  (cd "$T/depot" && find . -path ./.staging -prune -o -type f \
     -name '*.manifest' -print) | sed 's|^\./||; s|\.manifest$||' | sort
}

# The boot image: core first (the root), then every boot module by its
# name, every config file as config/NAME (core serves it before a boot
# module NAME, and never as a boot module), then every top-level file of every installed
# archive as ARCHIVE/FILE (the path linux core serves it from, beneath
# DIR/depot), the archives checked against their manifests first.
rv_image() {
  set -- "$T/boot.img" core="${CORE_BINARY:-$RV_DIR/core/core.elf}" core.args="$T/core.args"
  for m in "$T"/boot/*; do
    [ -f "$m" ] && set -- "$@" "$(basename "$m")=$m"
  done
  for m in "$T"/config/*; do
    [ -f "$m" ] && set -- "$@" "config/$(basename "$m")=$m"
  done
  # Each file is checked against its manifest's SHA-256 (not `depot
  # verify`, which also calls a pkg damaged whose archives are missing:
  # such a pkg goes into the image as installed, init names what it lacks).
  # An archive with a file that differs is left out whole, with a line
  # that says so, as linux core serves nothing of a damaged archive (on
  # the target it is missing); so is a file whose name is no ROM name
  # (.hidden), which linux core never serves.
  for a in $(rv_archives); do
    files=""
    # the manifest's top-level regular files: f MODE SHA256 NAME
    # shellcheck disable=SC2013 # file names hold no spaces (boot_name.h)
    for f in $(awk '$1 == "f" && $4 !~ /\// { print $3 "=" $4 }' "$T/depot/$a.manifest"); do
      case ${f#*=} in .*) continue ;; esac
      if [ "$(sha256sum <"$T/depot/$a/${f#*=}" | cut -d' ' -f1)" != "${f%%=*}" ]; then
        echo "# depot archive $a is damaged: file ${f#*=} differs from its manifest; left out of the boot image"
        files=""; break
      fi
      files="$files $a/${f#*=}=$T/depot/$a/${f#*=}"
    done
    # shellcheck disable=SC2086 # NAME=FILE words, no spaces (above)
    set -- "$@" $files
  done
  "$BUILD_RELEASE/bin/riscv-bootimage" "$@" >"$T/image.out" 2>&1 ||
    fail "riscv-bootimage: $(cat "$T/image.out")"
}

# Core's options that mean something on riscv, as boot module core.args
# (core/riscv/boot_options.h): always written, so that core without
# --exit-with-init serves on after init ended, as on linux. --log-limit
# is the host's: riscv-console writes the log files (RV_CONSOLE_ARGS).
rv_core_args() {
  words=""
  RV_CONSOLE_ARGS=""
  RV_BASE=""
  while [ $# -gt 0 ]; do
    case $1 in
      --exit-with-init) words="$words $1" ;;
      --log-limit)
        [ $# -ge 2 ] || fail "core option $1 lacks its value"
        RV_CONSOLE_ARGS="--log-limit $2"; shift ;;
      --base)
        [ $# -ge 2 ] || fail "core option $1 lacks its value"
        RV_BASE=$2; words="$words $1 $2"; shift ;;
      --init-ram|--init-caps)
        [ $# -ge 2 ] || fail "core option $1 lacks its value"
        words="$words $1 $2"; shift ;;
      *) not_on_platform "core option $1" ;;
    esac
    shift
  done
  printf '%s\n' "${words# }" > "$T/core.args"
}

# The kernel QEMU boots: that of the kernel archive the --base pkg lists
# (USER/src/kernel_riscv/V: the file kernel.elf of USER/bin/riscv64/
# kernel_riscv/V, as tests/riscv/depot-boot.sh takes it), which must then
# be installed; the build's when there is no --base or it lists none.
rv_kernel() {
  RV_KERNEL=$RV_DIR/kernel.elf
  [ -n "$RV_BASE" ] && [ -f "$T/depot/$RV_BASE/archives" ] || return 0
  k=$(sed -n 's|^[[:space:]]*\([A-Za-z0-9_.-]*\)/src/kernel_riscv/\([A-Za-z0-9_.-]*\)[[:space:]]*$|\1/bin/riscv64/kernel_riscv/\2|p' \
        "$T/depot/$RV_BASE/archives" | head -n 1)
  [ -n "$k" ] || return 0
  [ -f "$T/depot/$k/kernel.elf" ] ||
    fail "$RV_BASE lists the kernel archive $k, which is not installed in $T/depot"
  RV_KERNEL=$T/depot/$k/kernel.elf
}

start_core() {
  rv_core_args "$@"
  rv_boot
}

# run_core [OPTIONS] (12): core.args holds OPTIONS as they are, for core to
# judge (start_core passes only those that mean something here), and the
# machine runs until it ends; the status is QEMU's, core's exit code
# through the finisher (124 on the time limit), the output in $T/out.
run_core() {
  printf '%s\n' "$*" >"$T/core.args"
  RV_CONSOLE_ARGS="" RV_BASE=""
  rv_boot
  wait "$CORE_PID"; rv_status=$?
  CORE_PID=""
  exec 9>&-
  return "$rv_status"
}

# The boot image of $T, booted in the background as $CORE_PID.
rv_boot() {
  rv_kernel
  command -v qemu-system-riscv64 >/dev/null || fail "qemu-system-riscv64 not installed"
  [ -f "$RV_BIOS" ] || fail "OpenSBI firmware $RV_BIOS missing"
  [ -f "$RV_KERNEL" ] || fail "$RV_KERNEL not built"
  [ -f "${CORE_BINARY:-$RV_DIR/core/core.elf}" ] || fail "${CORE_BINARY:-$RV_DIR/core/core.elf} not built"
  [ -x "$RV_CONSOLE" ] || fail "$RV_CONSOLE not built"
  rv_image
  rm -f "$T/.net-wired" "$T/monitor.in" "$T/monitor.out" "$T/monitor.log"
  net=$(rv_policy_net_args) || fail "$net"
  touch "$T/.net-wired"
  # A machine with net ports gets QEMU's monitor on the fifos
  # $T/monitor.in and .out (rv_net_rewire adds ports through it); what
  # the monitor says is drained into $T/monitor.log.
  if [ -n "$net" ]; then
    mkfifo "$T/monitor.in" "$T/monitor.out" || fail "cannot make the monitor's fifos in $T"
    net="$net -chardev pipe,id=monitor,path=$T/monitor -mon chardev=monitor,mode=readline"
  fi
  rm -f "$T/.status" "$T/in" "$T/frames"
  # emptied now, not by the background pipe: a wait right after this must
  # never find a line of the previous core's output
  : >"$T/out"
  mkfifo "$T/in" "$T/frames" || fail "cannot make the fifos $T/in, $T/frames"
  # Its own session as on linux; the shell's exit status is QEMU's (a
  # pipe loses it, so it goes through a file). timeout makes a process
  # group of its own: stop_core and the trap find it by its directory.
  # shellcheck disable=SC2016 # expanded by that shell, from its arguments
  (cd "$T" && exec setsid sh -c '
     [ ! -p "$4/monitor.out" ] || cat "$4/monitor.out" >"$4/monitor.log" &
     { ${11} timeout -k 2 "$1" qemu-system-riscv64 -machine virt -m "$9M" -smp 1 \
         -nographic -monitor none -serial stdio -bios "$2" \
         -kernel "$3" \
         -device "loader,file=$4/boot.img,addr=$5,force-raw=on" $7 \
         -icount shift=0,sleep=${10} </dev/null 2>&1
       echo $? >"$4/.status"; } |
       "$6" $8 --linux-lines --frames "$4/frames" "$4" >>"$4/out"
     exit "$(cat "$4/.status")"' sh "$RV_QEMU_TIMEOUT" "$RV_BIOS" "$RV_KERNEL" \
     "$T" "$RV_MODULE_ADDR" "$RV_CONSOLE" "$(rv_control_args "$T/in" "$T/frames") $net" \
     "$RV_CONSOLE_ARGS" "$RV_RAM_MB" "${RV_ICOUNT_SLEEP:-off}" \
     "${RV_NETNS:+nsenter --net=$RV_NETNS}") &
  CORE_PID=$!
  # read-write: never blocks
  eval "exec $RV_FD<>\"\$T/in\""
  rv_sculpt_records
}

# rv_policy_net_args: QEMU's arguments for the machine's network, the
# host's side of the ports that core's net.policy ($T/config/net.policy)
# lets its clients dial or listen on (riscv-net-wiring prints them): a
# third virtio-serial device (core/riscv/net_ports.h) with a port per
# line, bridged to a host TCP socket; the names wired go into
# $T/.net-wired, a line each. None without a policy.
rv_policy_net_args() {
  [ -f "$T/config/net.policy" ] || return 0
  wiring=$("$BUILD_RELEASE/bin/riscv-net-wiring" "$T/config/net.policy" 2>&1) ||
    { echo "$wiring"; return 1; }
  echo "-device virtio-serial-device,id=net-serial"
  n=0
  echo "$wiring" | while read -r name address port mode; do
    n=$((n + 1))
    rv_net_port "$n" "$name" "$address" "$port" "$mode"
    echo "$name" >>"$T/.net-wired"
  done
}

# rv_net_rewire: the ports a new $T/config/net.policy names that the
# running machine lacks, added to its net device through QEMU's monitor
# (virtio-serial ports plug in live; core takes a port the device adds,
# core/riscv/virtio_console.c), as a host re-wires a machine whose policy
# it changed. Waits (bounded) until core saw each new dialled port's host
# side open (its peer must listen); a new listening one opens when a peer
# comes. A port the new policy no longer names stays, as its TCP socket
# does; core's policy refuses it.
# A machine booted without a policy has no net device to add ports to.
RV_REWIRE_WAIT=${SCENARIO_REWIRE_WAIT:-15}
rv_net_rewire() {
  rv_wiring=$("$BUILD_RELEASE/bin/riscv-net-wiring" "$T/config/net.policy" 2>&1) ||
    fail "the new net.policy cannot be wired: $rv_wiring"
  [ -p "$T/monitor.in" ] ||
    fail "net.policy pushed to a machine booted without one: no net device to add its ports to"
  rm -f "$T/.monitor-commands"
  rv_new=$(echo "$rv_wiring" | while read -r name address port mode; do
    grep -qxF "$name" "$T/.net-wired" && continue
    n=$(( $(wc -l <"$T/.net-wired") + 1 ))
    echo "$name" >>"$T/.net-wired"
    printf 'chardev-add %s\ndevice_add %s\n' "$(rv_net_chardev "$n" "$address" "$port" "$mode")" \
      "$(rv_net_serialport "$n" "$name")" >>"$T/.monitor-commands"
    [ "$mode" != dial ] || echo "$name"
  done)
  [ -f "$T/.monitor-commands" ] || return 0
  timeout -k 1 10 cat "$T/.monitor-commands" >"$T/monitor.in" ||
    fail "QEMU's monitor took no command within 10 s"
  rm -f "$T/.monitor-commands"
  for rv_name in $rv_new; do
    rv_tries=$((RV_REWIRE_WAIT * 10))
    until grep -qF "[core] net: the host side of port '$rv_name' opened" "$T/out"; do
      [ "$rv_tries" -gt 0 ] || fail "port $rv_name added live, but core did not see it open within ${RV_REWIRE_WAIT}s; QEMU's monitor said: $(tr -d '\r' <"$T/monitor.log" | grep -ai error | tail -n 3)"
      rv_tries=$((rv_tries - 1)); sleep 0.1
    done
  done
}

# What `sculpt boot --platform qemu-riscv64` records of the machine it
# starts, so that sculpt drives this one too (sculpt-cli/README.md): the
# control channel, $T/in (target_control.h), and the archives the image
# holds (lib/machine.h; those of a kind core serves).
rv_sculpt_records() {
  mkdir -p "$T/sculpt" && printf '%s/in\n' "$(cd "$T" && pwd)" >"$T/sculpt/control" &&
  rv_archives | grep -E '^[^/]+/(bin|raw|pkg)/' | sed 's/^/image /' >"$T/sculpt/machine" ||
    fail "cannot write sculpt's records of the machine"
}

# How long stop_core waits for the machine to end on the stop frame.
RV_STOP_WAIT=${SCENARIO_STOP_WAIT:-10}

# rv_request_stop: the stop frame into the control channel's fifo, bounded as
# rv_push's; 0 once the machine ended within $RV_STOP_WAIT s. This
# harness's machine reads it on fd 9; one that `sculpt boot --platform
# qemu-riscv64` started (44: $CORE_PID is its QEMU, from
# $T/sculpt/core.pid) on the fifo sculpt recorded in $T/sculpt/control.
rv_request_stop() {
  sh "$RV_TOP/tests/riscv/stop-request" "stop_core" >"$T/.stop" || return 1
  if [ -f "$T/sculpt/core.pid" ]; then
    # shellcheck disable=SC2016 # expanded by that shell
    timeout -k 1 "$RV_STOP_WAIT" sh -c 'cat "$1" >"$2"' sh "$T/.stop" \
      "$(cat "$T/sculpt/control")" || return 1
  else
    timeout -k 1 "$RV_STOP_WAIT" cat "$T/.stop" >&"$RV_FD" || return 1
  fi
  tries=$((RV_STOP_WAIT * 10))
  while ! rv_machine_ended && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  rv_machine_ended
}

# This harness's machine wrote QEMU's status; sculpt's QEMU is gone.
rv_machine_ended() { [ -f "$T/.status" ] || ! kill -0 "$CORE_PID" 2>/dev/null; }

stop_core() {
  [ -n "$CORE_PID" ] || fail "core is not running"
  if [ ! -f "$T/.status" ] && ! rv_request_stop; then
    echo "# the machine did not end within ${RV_STOP_WAIT}s of the stop frame: SIGTERM to QEMU"
  fi
  for p in $(rv_host_processes); do kill -TERM "$p" 2>/dev/null; done
  tries=100
  while kill -0 "$CORE_PID" 2>/dev/null && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  kill -0 "$CORE_PID" 2>/dev/null && fail "QEMU did not stop on SIGTERM"
  wait "$CORE_PID" 2>/dev/null
  CORE_PID=""
  eval "exec $RV_FD>&-"
  tries=50
  while [ -n "$(processes_in_target)" ] && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  left=$(processes_in_target)
  [ -z "$left" ] || fail "processes left behind: $left"
}

# A domain's identity instead of a pid: "d" and the ID core gave it when
# it created it (never used again while the machine runs, so a restarted
# child has a new one), from $T/domains, the live domains riscv-console
# keeps (kernel/riscv/tool/host_files.h). The "d" keeps it from ever
# being taken for a host process (lib.sh's kill_everything kills what
# processes_in_target lists). wait_pid and same_process are lib.sh's,
# over this pid_of.
pid_of() {
  awk -F'\t' -v n="$1" 'length($2) >= length(n) &&
      substr($2, length($2) - length(n) + 1) == n { print "d" $1; exit }' \
    "$T/domains" 2>/dev/null
  return 0
}

# The host's processes of the machine (QEMU, timeout, riscv-console):
# those that run in $T, as lib.sh finds core and its domains on linux.
# One find, not a readlink per process: ~0.2 s instead of ~10 s on a
# host loaded with ~150 processes, which stop_core pays three times.
rv_host_processes() {
  {
    find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$T" 2>/dev/null |
      sed -n 's|^/proc/\([0-9][0-9]*\)/cwd$|\1|p'
    # A machine `sculpt boot` started runs where sculpt ran: its QEMU
    # and riscv-console, by the image and the target they name
    # (sculpt-cli/boot_riscv.c); as a prefix, as linux's `--target $T`.
    pgrep -f -- "loader,file=$T/|--linux-lines $T" 2>/dev/null
  } | sort -u
  return 0
}

# What runs of the target: the host's processes of the machine (core's
# stand-in) and the live domains (as pid_of names them).
processes_in_target() {
  rv_host_processes
  awk -F'\t' '{ print "d" $1 }' "$T/domains" 2>/dev/null
  return 0
}

running_components() {
  core_running && echo core
  awk -F'\t' '{ print "d" $1 }' "$T/domains" 2>/dev/null
  return 0
}

# leak_measures SLACK_KB NAME PID... (lib.sh): a leak on this platform
# shows in the kernel's objects, so these are what the kernel holds for
# core (NAME core) and each domain (PID as pid_of gives it), from core's
# report core.kernel_usage, asked for by a usage frame
# (core/riscv/control_usage.h): threads, endpoints, signals, waitsets and
# capability slots exactly; the frames charged, the RAM memory objects and
# mappings (heaps grow in pieces and never give back, lib/sbrk.c), and
# the machine's RAM taken, by at most SLACK_KB (a memory object or
# mapping per 256 KiB of it, at least one).
RV_USAGE_ASKED=0
# rv_usage: asks core for its usage report (a usage frame) and waits until
# $T/report/core.kernel_usage is its answer.
rv_usage() {
  RV_USAGE_ASKED=$((RV_USAGE_ASKED + 1))
  printf 'usage %s\n' "$RV_USAGE_ASKED" >"$T/.usage"
  timeout -k 1 "$RV_PUSH_TIMEOUT" cat "$T/.usage" >&"$RV_FD" ||
    fail "asking the machine for its usage: not taken within ${RV_PUSH_TIMEOUT}s"
  tries=$((RV_PUSH_TIMEOUT * 10))
  while [ "$(head -n 1 "$T/report/core.kernel_usage" 2>/dev/null)" != "request $RV_USAGE_ASKED" ]; do
    [ -f "$T/.status" ] && fail "the machine ended (status $(cat "$T/.status")) while asked for its usage"
    [ "$tries" -gt 0 ] || fail "core did not report its usage within ${RV_PUSH_TIMEOUT}s"
    tries=$((tries - 1)); sleep 0.1
  done
}

leak_measures() {
  rv_usage
  slack=$1; shift
  names=""
  while [ $# -ge 2 ]; do
    if [ "$1" = core ]; then names="$names core=core"; else names="$names $2=$1"; fi
    shift 2
  done
  awk -v names="$names" -v slack="$slack" -v ram_kb=$((RV_RAM_MB * 1024)) '
    BEGIN { pieces = int(slack / 256); if (pieces < 1) pieces = 1
            n = split(names, pair, " ")
            for (i = 1; i <= n; i++) { split(pair[i], kv, "="); who[kv[1]] = kv[2] } }
    $1 == "free_kb" { print "machine_taken_kb", ram_kb - $2, slack }
    $1 in who {
      for (i = 2; i < NF; i += 2) {
        v = $(i + 1); s = 0
        if ($i == "frames") { print who[$1] "_kb", v * 4, slack; continue }
        if ($i == "mems" || $i == "maps") s = pieces
        print who[$1] "_" $i, v, s
      }
      found[$1] = 1
    }
    END { for (k in who) if (!(k in found)) print who[k] "_missing 1 0" }' \
    "$T/report/core.kernel_usage"
}

# thread_switches PID NAME (lib.sh): from core's usage report, the line
# `thread dID NAME switches N` of the kernel's count (SYS_PD_THREADS) and
# `time_ms`, the guest's clock when core answered, which is the time
# that counts here (-icount: the guest's clock need not keep to the
# host's).
# shellcheck disable=SC2034 # read by the scenarios
thread_switches() {
  rv_usage
  switches=$(awk -v who="$1" -v name="$2" \
    '$1 == "thread" && $2 == who && $3 == name { print $5; exit }' \
    "$T/report/core.kernel_usage")
  switches_ms=$(awk '$1 == "time_ms" { print $2; exit }' "$T/report/core.kernel_usage")
  [ -n "$switches" ] || fail "domain $1 has no thread \"$2\""
}

orphan_pipes() { not_on_platform "core's output pipes (a domain's output goes through the kernel)"; }
install_archive() {
  tar -C "$2" --zstd -cf "$T/archive.tar.zst" . || fail "cannot pack $2"
  "$BUILD_RELEASE/bin/depot" --depot "$T/depot" extract "$T/archive.tar.zst" "$1" \
    >"$T/extract.out" 2>&1 || fail "depot extract $1: $(cat "$T/extract.out")"
  rm -rf "$2" "$T/archive.tar.zst"
  # live: the installed (verified) files, as start_core puts them into
  # the image; core checks each digest again on the target
  if core_running; then
    sh "$RV_TOP/tests/riscv/push-archive" "$1" "$T/depot/$1" >"$T/.frame" ||
      fail "push-archive $1 failed"
    rv_send archive "$1"
  fi
}

# As on linux, but a machine that has ended prints nothing more: the wait
# fails at once, with QEMU's exit status, instead of at its limit.
wait_for() {
  how=$1 pattern=$2 seconds=${3:-$WAIT_DEFAULT}
  tries=$((seconds * 10))
  while [ "$tries" -gt 0 ]; do
    grep -q "$how" -- "$pattern" "$T/out" 2>/dev/null && return 0
    if [ -f "$T/.status" ]; then
      sleep 0.1   # the last lines through the pipe
      grep -q "$how" -- "$pattern" "$T/out" 2>/dev/null && return 0
      fail "no line matching '$pattern': the machine ended with status $(cat "$T/.status")"
    fi
    tries=$((tries - 1))
    sleep 0.1
  done
  fail "no line matching '$pattern' within ${seconds}s"
}
