#!/bin/sh
# The apply bench of `make bench` (tests/bench/run calls it): how long a
# one-component change takes from `sculpt apply` to the new child's first
# LOG line in the target's log, as a ratio to a baseline measured in the
# same run the same way: the shell's fork + exec + wait of a static
# binary that exits at once (build/release/bench-data/exit-static).
#
# A target runs core and init from this build (boot modules) with a depot
# holding a pkg of the scenario probe (installed with `depot extract`),
# whose config makes it log one line. Each round adds one more component
# of that pkg (`sculpt add`, not timed) and times `sculpt apply --no-wait`
# (generate, plan, record, write init.config atomically) until the line
# "[init -> bN] first line" is in TARGET/log/init.log: core's inotify
# signal, init's reconfiguration, the pkg's resolution through core, the
# spawn and the child's first LOG RPC. Best of ROUNDS counts; the time
# until sculpt itself returned is shown too.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${BUILD_RELEASE:-$top/build/release}/bin
SCULPT=$bin/sculpt
DEPOT=$bin/depot
EXIT_STATIC=${BUILD_RELEASE:-$top/build/release}/bench-data/exit-static
ROUNDS=${ROUNDS:-10}

T=$(mktemp -d "${TMPDIR:-/tmp}/sculpt-bench-XXXXXX")
T=$(cd "$T" && pwd -P)
core_pid=""
cleanup() {
  [ -n "$core_pid" ] && kill -9 "-$core_pid" 2>/dev/null && wait "$core_pid" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "sculpt_apply: $*" >&2; exit 1; }
now_us() { echo $(($(date +%s%N) / 1000)); }

# ---- the target -----------------------------------------------------------

install_archive() {   # NAME DIR
  tar -C "$2" --zstd -cf "$T/archive.tar.zst" . &&
  "$DEPOT" --depot "$T/depot" extract "$T/archive.tar.zst" "$1" > /dev/null ||
    fail "cannot install $1"
  rm -rf "$2" "$T/archive.tar.zst"
}
mkdir -p "$T/boot" "$T/config" "$T/a"
cp "$bin/init" "$T/boot/init" || fail "no init"
cp "$bin/scenario-probe" "$T/a/probe" || fail "no scenario-probe"
install_archive bench/raw/probe/1 "$T/a"
mkdir -p "$T/a"
echo bench/raw/probe/1 > "$T/a/archives"
echo '{"binary": "probe", "ram": "2M", "caps": 60, "config": {"script": "log first line"}}' \
  > "$T/a/runtime"
install_archive bench/pkg/probe/1 "$T/a"
echo '{"parent_provides": ["ROM", "LOG", "PD", "CPU", "RM"], "report": {"delay_ms": 50}, "start": []}' \
  > "$T/config/init.config"
setsid "$bin/core" --target "$T" --init-ram 256M > "$T/core.out" 2>&1 &
core_pid=$!
i=0
until grep -q "config applied" "$T/log/init.log" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "init does not start"; sleep 0.1
done

# ---- figures --------------------------------------------------------------

best_baseline=""
best_apply=""
best_returned=""
round=0
while [ $round -lt "$ROUNDS" ]; do
  t0=$(now_us); "$EXIT_STATIC"; t1=$(now_us)
  b=$((t1 - t0))
  [ -z "$best_baseline" ] || [ $b -lt "$best_baseline" ] && best_baseline=$b

  "$SCULPT" --target "$T" add "b$round" bench/pkg/probe/1 > /dev/null ||
    fail "sculpt add"
  t0=$(now_us)
  "$SCULPT" --target "$T" apply --no-wait > /dev/null || fail "sculpt apply"
  tr=$(now_us)
  until grep -qF "[init -> b$round] first line" "$T/log/init.log"; do :; done
  t1=$(now_us)
  a=$((t1 - t0))
  [ -z "$best_apply" ] || [ $a -lt "$best_apply" ] && best_apply=$a
  r=$((tr - t0))
  [ -z "$best_returned" ] || [ $r -lt "$best_returned" ] && best_returned=$r
  round=$((round + 1))
done

printf '  %-52s %10s %8s\n' "best of $ROUNDS" "us" "ratio"
printf '  %-52s %10d %8.2f\n' "fork+exec+wait of a static binary (baseline)" \
  "$best_baseline" 1
printf '  %-52s %10d %8.2f\n' "sculpt apply --no-wait, until it returned" \
  "$best_returned" "$(echo "$best_returned $best_baseline" | awk '{print $1 / $2}')"
printf '  %-52s %10d %8.2f\n' "sculpt apply of one new pkg child to its first line" \
  "$best_apply" "$(echo "$best_apply $best_baseline" | awk '{print $1 / $2}')"
