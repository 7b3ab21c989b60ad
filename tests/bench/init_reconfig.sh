#!/bin/sh
# The reconfiguration bench of `make bench` (tests/bench/run calls it):
# what a person waits for after writing init's config, as ratios to a
# baseline measured in the same run the same way: the shell's fork +
# exec + wait of a static binary that exits at once
# (build/release/bench-data/exit-static).
#
#   new child   TARGET/config/init.config written (atomic rename) with one
#               more child, until that child's first LOG line is in
#               TARGET/log/init.log: core's inotify signal, init's reading
#               and checking of the config, the plan, the spawn, the
#               child's start-up sessions and its first LOG call
#   route       the config written with a client's LOG route moved to
#               another log server, until the first line of the client
#               arrives there: init's reconfiguration, the old session
#               closed, the client's runtime noticing (its next LOG
#               write fails) and reopening it along the new route. The
#               client writes a line every millisecond, so up to 1 ms of
#               the figure is the client's own pause.
#
# Lines are read from the log files, never from core's terminal output,
# which core limits to 50 lines/s per label. Every figure is the best of
# ROUNDS; the bench asserts nothing about time (a failure is only a
# system that never shows the line).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_RELEASE:-$top/build/release}
bin=$build/bin
EXIT_STATIC=$build/bench-data/exit-static
ROUNDS=${ROUNDS:-10}

T=$(mktemp -d "${TMPDIR:-/tmp}/init-reconfig-bench-XXXXXX")
T=$(cd "$T" && pwd -P)
core_pid=""
cleanup() {
  [ -n "$core_pid" ] && kill -9 "-$core_pid" 2>/dev/null && wait "$core_pid" 2>/dev/null
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "init_reconfig: $*" >&2; exit 1; }
now_us() { echo $(($(date +%s%N) / 1000)); }
LOG=$T/log/init.log

mkdir -p "$T/boot" "$T/config"
for m in init timer counter counter_client log_server; do
  cp "$bin/$m" "$T/boot/$m" || fail "no $bin/$m"
done
cp "$bin/scenario-probe" "$T/boot/probe" || fail "no scenario-probe"

# config LOG_SERVER NEW_CHILDREN: the client's LOG at LOG_SERVER, and
# children n0 .. n(NEW_CHILDREN - 1) that log one line each
config() {
  extra=""
  i=0
  while [ $i -lt "$2" ]; do
    extra="$extra,
    {\"name\": \"n$i\", \"binary\": \"probe\", \"ram\": \"1M\", \"caps\": 40,
     \"config\": {\"script\": \"log first line\"}}"
    i=$((i + 1))
  done
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM"],
  "default_route": [{"service": "*", "to": "parent"}],
  "start": [
    {"name": "log_a", "binary": "log_server", "ram": "4M", "provides": ["LOG"]},
    {"name": "log_b", "binary": "log_server", "ram": "4M", "provides": ["LOG"]},
    {"name": "timer", "binary": "timer", "ram": "4M", "provides": ["Timer"]},
    {"name": "counter", "binary": "counter", "ram": "4M", "provides": ["Counter"]},
    {"name": "client", "binary": "counter_client", "ram": "4M",
     "route": [{"service": "LOG", "to": "'"$1"'"},
               {"service": "Timer", "to": "timer"},
               {"service": "Counter", "to": "counter"}],
     "config": {"increments": 1000000, "period_ms": 1}}'"$extra"']}' \
    > "$T/config/.init.config.tmp" &&
  mv "$T/config/.init.config.tmp" "$T/config/init.config"
}

# Waits until TEXT is in the log after byte OFFSET.
wait_text() {   # OFFSET TEXT
  n=0
  until tail -c "+$(($1 + 1))" "$LOG" 2>/dev/null | grep -qF -- "$2"; do
    n=$((n + 1)); [ $n -lt 20000 ] || fail "no line '$2' (see $T/log)"
  done
}
size_of() { wc -c < "$LOG"; }

config log_a 0
setsid "$bin/core" --target "$T" --init-ram 256M > "$T/core.out" 2>&1 &
core_pid=$!
i=0
until grep -qF '[init -> log_a] [client] shared page says' "$LOG" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 200 ] || fail "the client does not log at log_a"; sleep 0.05
done

best() {   # best CURRENT NEW
  if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi
}
best_baseline="" best_child="" best_route=""
server=log_a
round=0
while [ $round -lt "$ROUNDS" ]; do
  t0=$(now_us); "$EXIT_STATIC"; t1=$(now_us)
  best_baseline=$(best "$best_baseline" $((t1 - t0)))

  # a new child: its first line
  at=$(size_of)
  t0=$(now_us)
  config "$server" $((round + 1))
  wait_text "$at" "[init -> n$round] first line"
  t1=$(now_us)
  best_child=$(best "$best_child" $((t1 - t0)))

  # the route moved: the client's first line at the other server
  [ "$server" = log_a ] && server=log_b || server=log_a
  at=$(size_of)
  t0=$(now_us)
  config "$server" $((round + 1))
  wait_text "$at" "[init -> $server] [client] shared page says"
  t1=$(now_us)
  best_route=$(best "$best_route" $((t1 - t0)))
  round=$((round + 1))
done

ratio() { echo "$1 $best_baseline" | awk '{ printf "%.2f", $1 / $2 }'; }
printf '  %-56s %10s %8s\n' "best of $ROUNDS" "us" "ratio"
printf '  %-56s %10d %8.2f\n' "fork+exec+wait of a static binary (baseline)" \
  "$best_baseline" 1
printf '  %-56s %10d %8s\n' "init.config written -> new child's first LOG line" \
  "$best_child" "$(ratio "$best_child")"
printf '  %-56s %10d %8s\n' "LOG route moved -> client's first line at new server" \
  "$best_route" "$(ratio "$best_route")"
