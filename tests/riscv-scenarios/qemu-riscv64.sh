# The platform qemu-riscv64 of the scenario harness: tests/scenarios/lib.sh
# sources this file last when SCENARIO_PLATFORM=qemu-riscv64, and its
# functions replace those of the linux platform, so that a scenario file runs
# unchanged on our riscv64 kernel under QEMU (issue 15 item 5).
#
#   install_module BINARY NAME   $BUILD_RELEASE/riscv/pkg/BINARY.elf ('-'
#                                as '_') as boot module NAME
#   write_config NAME TEXT       config/NAME, a boot module too; refused
#                                while the machine runs (no live config
#                                change yet)
#   start_core [OPTIONS]         boot image of core.elf (module 0), the
#                                modules and the configs, booted by QEMU
#                                under `timeout -k` with -icount
#                                shift=0,sleep=off; the console, carriage
#                                returns removed, in $T/out; $CORE_PID
#                                ends with QEMU's exit status, which is
#                                core's exit code (the virt test
#                                finisher), 124 on the time limit
#   stop_core                    SIGTERM to QEMU (if the machine has not
#                                ended by itself), then nothing may be
#                                left running in $T
#   install_archive NAME DIR     as on linux (`depot extract` into
#                                $T/depot); start_core puts every file of
#                                every installed archive into the boot
#                                image as module ARCHIVE/FILE, which core
#                                serves for rom_from="depot"; refused
#                                while the machine runs
#   program_file BINARY          $BUILD_RELEASE/riscv/pkg/BINARY.elf ('-'
#                                as '_'), with $SCENARIO_ARCH riscv64:
#                                the bin archives init runs here
#
# What the platform cannot do makes the scenario say "not on this
# platform: REASON" and exit with 77, up front where the scenario file
# shows it (platform_refuse_unportable, run when lib.sh is sourced), or at
# the call that needs it otherwise. Core on riscv has no files (ROMs are
# boot modules, LOG goes to the console: nothing under $T/log), no Report
# or Net service, no processes of its own per domain, and ends when init
# ends (as --exit-with-init does on linux).

RV_DIR=$BUILD_RELEASE/riscv
RV_BIOS=${OPENSBI:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
RV_MODULE_ADDR=0x87000000   # MODULE_BASE, kernel/riscv/arch.h
# One machine's wall-clock limit; a scenario's waits are shorter.
RV_QEMU_TIMEOUT=${SCENARIO_QEMU_TIMEOUT:-40}
NOT_HERE_STATUS=77
# init on riscv runs bin archives of riscv64 (PKG_BIN_ARCH)
# shellcheck disable=SC2034 # read by the scenarios
SCENARIO_ARCH=riscv64

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
  # shellcheck disable=SC2016 # the patterns name $T literally
  grep -q '\$T/log/' "$f" && why="$why; log files under DIR/log (LOG goes to the console)"
  # shellcheck disable=SC2016
  grep -qE '\$T/report|report_rom|state-report' "$f" &&
    why="$why; reports (no Report service, no files)"
  grep -qE 'pid_of|wait_pid|same_process|processes_in_target|orphan_pipes' "$f" &&
    why="$why; domains are no host processes"
  # an archive installed between start_core and the end of that core
  awk '/^[[:space:]]*start_core/ { up = 1 }
       /stop_core|CORE_PID=""/ { up = 0 }
       /^[[:space:]]*install_archive/ && up { live = 1 }
       END { exit !live }' "$f" &&
    why="$why; an archive installed while core runs (the boot image is made at start)"
  grep -qE 'depot_mirror|download --mirror|trust import|--base|sculpt' "$f" &&
    why="$why; depot downloads, core --base and sculpt (archives come through install_archive only)"
  grep -qE 'hostile|spoil-caps|forbid-open|open-library' "$f" &&
    why="$why; confinement checks of the linux platform"
  grep -qE 'remote_|netns|Net' "$f" && why="$why; no Net service"
  grep -qE 'bin/core|make run' "$f" &&
    why="$why; core's command line and make run (core on riscv has neither)"
  # write_config between start_core and the end of that core
  awk '/^[[:space:]]*start_core/ { up = 1 }
       /stop_core|CORE_PID=""/ { up = 0 }
       /^[[:space:]]*write_config/ && up { live = 1 }
       END { exit !live }' "$f" &&
    why="$why; config change while core runs (no control channel yet)"
  [ -z "$why" ] || not_on_platform "${why#; }"
}

program_file() { echo "$RV_DIR/pkg/$(printf '%s' "$1" | tr - _).elf"; }

install_module() {
  elf=$(program_file "$1")
  [ -f "$elf" ] || fail "no riscv64 build of $1 ($elf)"
  cp "$elf" "$T/boot/$2"
}

write_config() {
  core_running && not_on_platform "config change while core runs (no control channel yet)"
  printf '%s\n' "$2" > "$T/config/.$1.tmp" && mv "$T/config/.$1.tmp" "$T/config/$1"
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
  set -- "$T/boot.img" core="$RV_DIR/core/core.elf"
  for m in "$T"/boot/*; do
    [ -f "$m" ] && set -- "$@" "$(basename "$m")=$m"
  done
  for m in "$T"/config/*; do
    [ -f "$m" ] && set -- "$@" "config/$(basename "$m")=$m"
  done
  archives=$(rv_archives)
  if [ -n "$archives" ]; then
    # shellcheck disable=SC2086 # archive names hold no spaces
    "$BUILD_RELEASE/bin/depot" --depot "$T/depot" verify $archives \
      >"$T/image.out" 2>&1 || fail "depot verify: $(cat "$T/image.out")"
  fi
  for a in $archives; do
    # the manifest's top-level regular files: f MODE SHA256 NAME
    # shellcheck disable=SC2013 # file names hold no spaces (boot_name.h)
    for f in $(awk '$1 == "f" && $4 !~ /\// { print $4 }' "$T/depot/$a.manifest"); do
      set -- "$@" "$a/$f=$T/depot/$a/$f"
    done
  done
  "$BUILD_RELEASE/bin/riscv-bootimage" "$@" >"$T/image.out" 2>&1 ||
    fail "riscv-bootimage: $(cat "$T/image.out")"
}

start_core() {
  for o in "$@"; do
    case $o in
      --exit-with-init) ;;   # core on riscv always ends with init
      *) not_on_platform "core option $o" ;;
    esac
  done
  command -v qemu-system-riscv64 >/dev/null || fail "qemu-system-riscv64 not installed"
  [ -f "$RV_BIOS" ] || fail "OpenSBI firmware $RV_BIOS missing"
  [ -f "$RV_DIR/kernel.elf" ] || fail "$RV_DIR/kernel.elf not built"
  [ -f "$RV_DIR/core/core.elf" ] || fail "$RV_DIR/core/core.elf not built"
  rv_image
  rm -f "$T/.status"
  # Its own session as on linux; the shell's exit status is QEMU's (a
  # pipe loses it, so it goes through a file). timeout makes a process
  # group of its own: stop_core and the trap find it by its directory.
  # shellcheck disable=SC2016 # expanded by that shell, from its arguments
  (cd "$T" && exec setsid sh -c '
     { timeout -k 2 "$1" qemu-system-riscv64 -machine virt -m 128M -smp 1 \
         -nographic -monitor none -serial stdio -bios "$2" \
         -kernel "$3/kernel.elf" \
         -device "loader,file=$4/boot.img,addr=$5,force-raw=on" \
         -icount shift=0,sleep=off </dev/null 2>&1
       echo $? >"$4/.status"; } | stdbuf -oL tr -d "\r" >"$4/out"
     exit "$(cat "$4/.status")"' sh "$RV_QEMU_TIMEOUT" "$RV_BIOS" "$RV_DIR" \
     "$T" "$RV_MODULE_ADDR") &
  CORE_PID=$!
}

stop_core() {
  [ -n "$CORE_PID" ] || fail "core is not running"
  for p in $(processes_in_target); do kill -TERM "$p" 2>/dev/null; done
  tries=100
  while kill -0 "$CORE_PID" 2>/dev/null && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  kill -0 "$CORE_PID" 2>/dev/null && fail "QEMU did not stop on SIGTERM"
  wait "$CORE_PID" 2>/dev/null
  CORE_PID=""
  tries=50
  while [ -n "$(processes_in_target)" ] && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  left=$(processes_in_target)
  [ -z "$left" ] || fail "processes left behind: $left"
}

pid_of() { not_on_platform "domains are no host processes"; }
wait_pid() { pid_of; }
same_process() { pid_of; }
orphan_pipes() { pid_of; }
install_archive() {
  core_running &&
    not_on_platform "an archive installed while core runs (the boot image is made at start)"
  tar -C "$2" --zstd -cf "$T/archive.tar.zst" . || fail "cannot pack $2"
  "$BUILD_RELEASE/bin/depot" --depot "$T/depot" extract "$T/archive.tar.zst" "$1" \
    >"$T/extract.out" 2>&1 || fail "depot extract $1: $(cat "$T/extract.out")"
  rm -rf "$2" "$T/archive.tar.zst"
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
