# The scenario harness: a shell library that the scenarios in this folder
# source. A scenario makes a fresh target directory, installs boot modules
# and a config, starts core on it in the background, waits for expected
# log lines with a timeout, checks the outcome, and stops core. Whatever
# happens, the EXIT trap kills core and everything below it (its process
# group), and the scenario fails if any process is left that runs in the
# target directory (core and its domains run with the target as their
# working directory, which is how they are found).
#
#   scenario_begin NAME          fresh target in $T, trap installed
#   install_module BINARY NAME   $BUILD_RELEASE/bin/BINARY as boot/NAME
#   write_config NAME TEXT       config/NAME, replaced atomically
#   start_core [CORE OPTIONS]    core in the background; output in $T/out
#                                (the binary: $CORE_BINARY, default
#                                $BUILD_RELEASE/bin/core)
#   run_core [CORE OPTIONS]      core in the foreground until it ends
#                                (bounded: 60 s), its exit status
#                                run_core's, output in $T/out
#   wait_log PATTERN [SECONDS]   waits for a line matching the extended
#                                regular expression (fixed strings: use
#                                wait_line); fails with the output shown
#   wait_line TEXT [SECONDS]     waits for a line containing TEXT
#   refute_line TEXT             fails if a line contains TEXT
#   stop_core                    SIGTERM, wait, then check nothing is left
#   orphan_pipes                 prints the pipes core reads that no one
#                                writes to any more (see below)
#   fail MESSAGE                 the scenario fails
#   install_archive NAME DIR     packs DIR and installs it as archive NAME
#                                in $T/depot with `depot extract` (the
#                                installer `depot download` uses, manifest
#                                included); DIR is removed
#   pid_of NAME                  the pid of the domain whose name (argv[0])
#                                ends with NAME, or nothing
#   wait_pid NAME                pid_of NAME once there is one, waiting
#                                up to $WAIT_DEFAULT s (a child being
#                                restarted runs as no process for a moment)
#   same_process NAME PID        fails unless NAME still runs as PID
#   running_components           what runs of the system, one a line:
#                                core and its domains (processes here)
#   leak_measures SLACK_KB NAME PID [NAME PID ...]
#                                what a leak in core (NAME core) or a
#                                domain would grow, "NAME_WHAT VALUE
#                                SLACK" a line: a later VALUE may be at
#                                most SLACK above an earlier one, the
#                                same when SLACK is 0 (here file
#                                descriptors, and anonymous memory with
#                                SLACK_KB)
#   thread_switches PID NAME     sets $switches, how often the thread
#                                NAME of domain PID was switched to (here
#                                its voluntary and involuntary context
#                                switches), and $switches_ms, the
#                                machine's clock in ms when counted
#   program_file BINARY          the path of the build's program BINARY
#                                for the platform, for a bin archive
#   free_port                    a TCP port of 127.0.0.1 free right now
#                                (tests/tools/tcp_port.c)
#   $SCENARIO_ARCH               the arch of the bin archives init runs
#                                (`uname -m` on linux): name them with it
#   $PROBE_CRASH_FAULT           init's words for the fault of
#                                init-probe's "crash" (a store to address
#                                0): "died of a fault ($PROBE_CRASH_FAULT)"
#
# SCENARIO_PLATFORM selects where core runs: linux (the default, all of
# the above) or qemu-riscv64, our riscv64 kernel under QEMU, whose
# functions (tests/riscv-scenarios/qemu-riscv64.sh, sourced at the end)
# replace those that differ; a scenario that needs what that platform
# lacks says "not on this platform: REASON" and exits with 77.
set -u

: "${BUILD_RELEASE:=$(cd "$(dirname "$0")/../.." && pwd)/build/release}"
WAIT_DEFAULT=${SCENARIO_WAIT:-15}
T=""
CORE_PID=""

fail() {
  echo "# FAIL: $*"
  if [ -n "$T" ] && [ -f "$T/out" ]; then
    sed 's/^/#   | /' "$T/out" | tail -n 40
  fi
  exit 1
}

# The processes of the target: those whose working directory is the
# target (core and its domains) and those that name it on their command
# line (core), each once.
processes_in_target() {
  {
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T" ] && echo "${p#/proc/}"
    done
    pgrep -f -- "--target $T" 2>/dev/null
  } | sort -u
  return 0
}

kill_everything() {
  if [ -n "$CORE_PID" ]; then
    # the group (dash's kill takes no "--"), then core itself to be sure
    kill -KILL "-$CORE_PID" 2>/dev/null
    kill -KILL "$CORE_PID" 2>/dev/null
    wait "$CORE_PID" 2>/dev/null
    CORE_PID=""
  fi
  for p in $(processes_in_target); do kill -KILL "$p" 2>/dev/null; done
}

cleanup() {
  kill_everything
  [ -n "$T" ] && [ -z "${SCENARIO_KEEP:-}" ] && rm -rf "$T"
}

scenario_begin() {
  T=$(mktemp -d "/tmp/scenario-$1.XXXXXX") || exit 1
  T=$(cd "$T" && pwd -P)
  mkdir -p "$T/boot" "$T/config"
  trap cleanup EXIT
  trap 'exit 1' INT TERM
}

install_archive() {
  tar -C "$2" --zstd -cf "$T/archive.tar.zst" . || fail "cannot pack $2"
  "$BUILD_RELEASE/bin/depot" --depot "$T/depot" extract "$T/archive.tar.zst" "$1" \
    >"$T/extract.out" 2>&1 || fail "depot extract $1: $(cat "$T/extract.out")"
  rm -rf "$2" "$T/archive.tar.zst"
}

pid_of() {
  for p in $(processes_in_target); do
    # 2>/dev/null first: the process may be gone before the file opens
    case "$(tr '\0' '\n' 2>/dev/null < "/proc/$p/cmdline" | head -n 1)" in
      *"$1") echo "$p"; return 0 ;;
    esac
  done
  return 0
}

wait_pid() {
  tries=$((WAIT_DEFAULT * 10))
  while [ "$tries" -gt 0 ]; do
    p=$(pid_of "$1")
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.1; tries=$((tries - 1))
  done
  return 0
}

same_process() {
  [ -n "$2" ] && [ "$(pid_of "$1")" = "$2" ] || fail "\"$1\" is no longer process $2"
}

running_components() { processes_in_target; }

# Linux: each process's file descriptors, and its anonymous memory
# (RssAnon: the C library's heap and the threads' stacks), which the
# allocator does not give back exactly.
leak_measures() {
  slack=$1; shift
  while [ $# -ge 2 ]; do
    echo "$1_fds $(ls "/proc/$2/fd" 2>/dev/null | wc -l) 0"
    echo "$1_anon_kb $(awk '/^RssAnon:/ { print $2 }' "/proc/$2/status" 2>/dev/null) $slack"
    shift 2
  done
}

# shellcheck disable=SC2034 # read by the scenarios
thread_switches() {
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ] || continue
    switches=$(awk '/ctxt_switches/ { n += $2 } END { print n }' "$t/status")
    switches_ms=$(($(date +%s%N) / 1000000))
    return 0
  done
  fail "process $1 has no thread \"$2\""
}

# shellcheck disable=SC2034 # read by the scenarios
SCENARIO_ARCH=$(uname -m)
# shellcheck disable=SC2034 # read by the scenarios
PROBE_CRASH_FAULT='signal 11'
program_file() { echo "$BUILD_RELEASE/bin/$1"; }
free_port() { "$BUILD_RELEASE/bin/test-tcp-port" free; }

install_module() {
  [ -x "$BUILD_RELEASE/bin/$1" ] || fail "no binary $BUILD_RELEASE/bin/$1"
  cp "$BUILD_RELEASE/bin/$1" "$T/boot/$2"
}

write_config() {
  printf '%s\n' "$2" > "$T/config/.$1.tmp" && mv "$T/config/.$1.tmp" "$T/config/$1"
}

start_core() {
  # Emptied here, not by the background shell's redirection: a wait right
  # after this must never find a line of the previous core's output.
  : >"$T/out"
  # its own process group (setsid), so the trap can end it and all below
  (cd "$T" && exec setsid "${CORE_BINARY:-$BUILD_RELEASE/bin/core}" \
     --target "$T" "$@" \
     >>"$T/out" 2>&1) &
  CORE_PID=$!
}

run_core() {
  (cd "$T" && exec timeout -k 2 60 "${CORE_BINARY:-$BUILD_RELEASE/bin/core}" \
     --target "$T" "$@") >"$T/out" 2>&1
}

# Polls the output every 0.1 s (a bounded wait for an event, not a timed
# assertion: the limit only keeps a broken system from hanging the suite).
wait_for() {
  how=$1 pattern=$2 seconds=${3:-$WAIT_DEFAULT}
  tries=$((seconds * 10))
  while [ "$tries" -gt 0 ]; do
    grep -q "$how" -- "$pattern" "$T/out" 2>/dev/null && return 0
    tries=$((tries - 1))
    sleep 0.1
  done
  fail "no line matching '$pattern' within ${seconds}s"
}

wait_log() { wait_for -E "$@"; }
wait_line() { wait_for -F "$@"; }

refute_line() {
  if grep -qF -- "$1" "$T/out"; then fail "unexpected line with '$1'"; fi
}

# How many lines of the output hold TEXT ($2) after the last line that
# holds MARK ($1); all of them when no line holds MARK.
count_after() {
  awk -v m="$1" -v t="$2" 'index($0, m) { n = 0 } index($0, t) { n++ }
                           END { print n + 0 }' "$T/out"
}

# Waits (bounded by $4 seconds, default 10) until N ($3) lines hold TEXT
# ($2) after the last line with MARK ($1).
wait_after() {
  tries=$(( ${4:-10} * 10 ))
  while [ "$(count_after "$1" "$2")" -lt "$3" ] && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  [ "$(count_after "$1" "$2")" -ge "$3" ] || fail "no $3 lines '$2' after '$1'"
}

core_running() {
  [ -n "$CORE_PID" ] && kill -0 "$CORE_PID" 2>/dev/null
}

stop_core() {
  [ -n "$CORE_PID" ] || fail "core is not running"
  kill -TERM "$CORE_PID" 2>/dev/null
  tries=100
  while kill -0 "$CORE_PID" 2>/dev/null && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  kill -0 "$CORE_PID" 2>/dev/null && fail "core did not stop on SIGTERM"
  wait "$CORE_PID" 2>/dev/null
  CORE_PID=""
  # domains die with core (PDEATHSIG): give the kernel a moment to reap
  tries=50
  while [ -n "$(processes_in_target)" ] && [ "$tries" -gt 0 ]; do
    sleep 0.1; tries=$((tries - 1))
  done
  left=$(processes_in_target)
  [ -z "$left" ] || fail "processes left behind: $left"
}

# The pipes (as "pipe:[inode]") whose read end core holds while nothing
# else holds them: a domain's stdout or stderr pipe that core should have
# closed once the domain closed it or ended. Pipes core holds both ends
# of, and those it inherited from this shell, do not count.
pipes_of() {
  pipes_pid=$1; shift
  find "/proc/$pipes_pid/fd" -mindepth 1 -lname 'pipe:*' "$@" \
    -exec readlink {} + 2>/dev/null
}
orphan_pipes() {
  pipes_of "$CORE_PID" ! -perm -u=w | sort -u >"$T/.core-reads"
  {
    for p in $(processes_in_target) $$; do
      [ "$p" = "$CORE_PID" ] || pipes_of "$p"
    done
    pipes_of "$CORE_PID" -perm -u=w
  } | sort -u >"$T/.other-ends"
  comm -23 "$T/.core-reads" "$T/.other-ends"
}

case ${SCENARIO_PLATFORM:-linux} in
  linux) ;;
  qemu-riscv64)
    # shellcheck disable=SC1091 # found relative to the scenario
    . "$(dirname "$0")/../riscv-scenarios/qemu-riscv64.sh"
    platform_refuse_unportable "$0" ;;
  *) echo "# unknown SCENARIO_PLATFORM '$SCENARIO_PLATFORM' (linux or qemu-riscv64)"; exit 1 ;;
esac
