#!/bin/sh
# The remote bench of `make bench` (tests/bench/run calls it; issue 14
# item 6), between two network namespaces joined by a veth pair (the
# nodes of the remote scenarios, tests/scenarios/remote_lib.sh), each
# figure against a raw TCP baseline measured in the same run between the
# same namespaces:
#
#   remote ROM update: a file written on node a (config/stamp, the time in
#     it) to the signal of remote-bench-reader on node b, whose ROM
#     "stamp" init routes to node a (a route, an export: init's proxies,
#     the pinned TLS link); against one raw TCP message a -> b
#     (remote-bench oneway-send/recv, TCP_NODELAY). A local reader on a
#     shows what core's file watch and the ROM signal cost without the
#     link.
#   remote RPC round trip: remote-bench-rpc's Counter increments; against
#     a raw TCP ping-pong of 64-byte messages (remote-bench pingpong/
#     echo). The same client against a counter on its own node is
#     measured too. The remote part configures the generic RPC proxies by
#     hand, as scenario 70 does (remote_lib.sh rpc_nodes; init does not
#     route RPC services to a node yet). Once init routes RPC, the hand
#     configs become an export of "Counter" on a and a route {"node": "a",
#     "service": "Counter", ...} on b, like the ROM part.
#
# Medians (and 90th percentiles) in microseconds; every time is
# CLOCK_MONOTONIC, which the namespaces share. Without root or network
# namespaces it says why and measures nothing (exit 0: a bench never
# fails for its environment). REMOTE_BENCH_N (default 100) updates and
# messages, REMOTE_BENCH_CALLS (default 2000) round trips.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_RELEASE=${BUILD_RELEASE:-$top/build/release}
TOOL=$BUILD_RELEASE/bench-data/remote-bench
N=${REMOTE_BENCH_N:-100}
CALLS=${REMOTE_BENCH_CALLS:-2000}
cd "$top/tests/scenarios" || exit 1
# shellcheck source=tests/scenarios/lib.sh
. ./lib.sh
scenario_begin remote-bench
# shellcheck source=tests/scenarios/remote_lib.sh
. ./remote_lib.sh
trap 'remote_cleanup; cleanup' EXIT
PORT=7400
# a bench says why it measures nothing, and does not fail
# shellcheck disable=SC2317 # called by remote_netns
skip() { echo "remote_bench: not measured: $*"; exit 0; }
fail() {
  echo "remote_bench: $*" >&2
  [ -f "$T/out" ] && sed 's/^/  b| /' "$T/out" | tail -n 15 >&2
  [ -f "$TA/out" ] && sed 's/^/  a| /' "$TA/out" | tail -n 15 >&2
  exit 1
}
remote_netns rb
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

# stats FILE: "median p90" in microseconds of the "delay_ns D" lines
stats() {
  awk '{ for (i = 1; i < NF; i++) if ($i == "delay_ns") print $(i + 1) }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit }
      printf "%.1f %.1f\n", v[int((NR + 1) / 2)] / 1000, v[int((NR * 9 + 9) / 10)] / 1000 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1f\n", a / b }'; }
row() { printf '%-58s %10s %10s %8s\n' "$1" "$2" "$3" "$4"; }

# --- raw TCP, a -> b -------------------------------------------------------
in_b "$TOOL" oneway-recv 7500 "$N" > "$T/tcp-oneway" &
sleep 0.3
in_a "$TOOL" oneway-send "$ADDR_B" 7500 "$N" 10 || fail "oneway-send failed"
wait
in_b "$TOOL" echo 7501 > /dev/null &
sleep 0.3
in_a "$TOOL" pingpong "$ADDR_B" 7501 "$CALLS" > "$T/tcp-pingpong" || fail "pingpong failed"
wait

# --- remote ROM updates, routed by init ------------------------------------
remote_keys
for m in init remote_rom_client remote-bench-reader; do install_module $m $m; done
cp "$BUILD_RELEASE/bin/init" "$BUILD_RELEASE/bin/remote_rom_server" \
   "$BUILD_RELEASE/bin/remote-bench-reader" "$BUILD_RELEASE/bin/remote-bench-rpc" \
   "$BUILD_RELEASE/bin/counter" "$TA/boot/"
"$TOOL" stamp "$TA/config/stamp" 0
remote_policies "$ADDR_A" "$PORT" "init -> remote-rom-to-b" "init -> remote-rom-from-a"
printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [{"service": "ROM", "label": "local -> stamp", "to": "parent"},
                    {"service": "Counter", "to": "counter"},
                    {"service": "*", "to": "parent"}],
  "node": {"name": "a", "key": "a.key", "cert": "a.crt"},
  "nodes": [{"name": "b", "fingerprint": "'"$FP_B"'", "port": '"$PORT"'}],
  "exports": [{"node": "b", "service": "ROM", "label": "stamp"}],
  "start": [{"name": "local", "binary": "remote-bench-reader", "ram": "4M"},
            {"name": "counter", "binary": "counter", "ram": "4M", "provides": ["Counter"]}]}' \
  > "$TA/config/init.config"
write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [
    {"service": "ROM", "label": "reader -> stamp",
     "to": {"node": "a", "service": "ROM", "label": "stamp"}},
    {"service": "*", "to": "parent"}],
  "node": {"name": "b", "key": "b.key", "cert": "b.crt"},
  "nodes": [{"name": "a", "fingerprint": "'"$FP_A"'"}],
  "start": [{"name": "reader", "binary": "remote-bench-reader", "ram": "4M"}]}'
start_a
start_core
wait_line '[init -> remote-rom-from-a] link to a up' 30
i=1
while [ "$i" -le "$N" ]; do
  "$TOOL" stamp "$TA/config/stamp" "$i"
  tries=50
  # the log file, not the terminal: core rate-limits what it prints
  until grep -qF "[init -> reader] stamp $i delay_ns" "$T/log/init.log" 2>/dev/null; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || fail "update $i did not arrive on b within 5 s"
    sleep 0.1
  done
  i=$((i + 1))
done
grep -F '[init -> reader] stamp ' "$T/log/init.log" | grep -vF 'stamp 0 ' > "$T/rom-remote"
grep -F '[init -> local] stamp ' "$TA/log/init.log" | grep -vF 'stamp 0 ' > "$T/rom-local"

# remote_rpc_round_trips: remote-bench-rpc on b, the counter on a, with
# the RPC proxies configured by hand (remote_lib.sh rpc_nodes: init does
# not route RPC services to a node yet, runtime/init/README.md, "Routes
# to other nodes"), as scenario 70; sets remote_rpc
remote_rpc_round_trips() {
  : > "$TA/out"; : > "$T/out"
  rm -f "$TA/config/a.key" "$TA/config/a.crt" "$T/config/b.key" "$T/config/b.crt"
  rpc_nodes Counter counter_session counter "$ADDR_A" "$PORT"
  install_module remote-bench-rpc remote-bench-rpc
  rpc_config_b ""
  start_a
  start_core
  wait_line '[init -> rpc_b] link to a up' 30
  rpc_config_b "{\"name\": \"caller\", \"binary\": \"remote-bench-rpc\", \"ram\": \"4M\", \"config\": {\"calls\": $CALLS}}"
  wait_for -F '[init -> caller] rpc round trips' 300
  remote_rpc=$(grep -F '[init -> caller] rpc round trips' "$T/out" | tail -n 1 |
    awk '{ for (i = 1; i < NF; i++) { if ($i == "median_ns") m = $(i + 1); if ($i == "p90_ns") p = $(i + 1) }
           printf "%.1f %.1f\n", m / 1000, p / 1000 }')
  stop_a
  stop_core
}

# --- RPC round trips --------------------------------------------------------
# on node a, to the counter on its own node, through init's route
sed 's/"start": \[/"start": [{"name": "caller", "binary": "remote-bench-rpc", "ram": "4M", "config": {"calls": '"$CALLS"'}},/' \
  "$TA/config/init.config" > "$TA/config/.new" && mv "$TA/config/.new" "$TA/config/init.config"
wait_a '[init -> caller] rpc round trips' 120
local_rpc=$(grep -F '[init -> caller] rpc round trips' "$TA/out" | tail -n 1 |
  awk '{ for (i = 1; i < NF; i++) { if ($i == "median_ns") m = $(i + 1); if ($i == "p90_ns") p = $(i + 1) }
         printf "%.1f %.1f\n", m / 1000, p / 1000 }')
stop_a
stop_core

# across the nodes, through the generic RPC proxy
remote_rpc_round_trips

# --- the table --------------------------------------------------------------
first() { echo "$1" | cut -d' ' -f1; }
second() { echo "$1" | cut -d' ' -f2; }
s=$(stats "$T/tcp-oneway"); tcp1=$(first "$s") tcp1p=$(second "$s")
s=$(stats "$T/rom-remote"); rom=$(first "$s") romp=$(second "$s")
s=$(stats "$T/rom-local"); roml=$(first "$s") romlp=$(second "$s")
s=$(stats "$T/tcp-pingpong"); pp=$(first "$s") ppp=$(second "$s")
lrpc=$(first "$local_rpc") lrpcp=$(second "$local_rpc")
rrpc=$(first "$remote_rpc") rrpcp=$(second "$remote_rpc")
echo "two network namespaces joined by veth; $N updates/messages, $CALLS round trips"
row "what" "median_us" "p90_us" "ratio"
row "raw TCP message a -> b (baseline)" "$tcp1" "$tcp1p" "1.0"
row "remote ROM update a -> b (routed by init, TLS link)" "$rom" "$romp" "$(ratio "$rom" "$tcp1")"
row "  local ROM update on a (file watch + signal, no link)" "$roml" "$romlp" "$(ratio "$roml" "$tcp1")"
row "raw TCP ping-pong a -> b -> a (baseline)" "$pp" "$ppp" "1.0"
row "remote RPC round trip b -> a (Counter increment)" "$rrpc" "$rrpcp" "$(ratio "$rrpc" "$pp")"
row "  local RPC round trip on a (Counter, through init)" "$lrpc" "$lrpcp" "$(ratio "$lrpc" "$pp")"
exit 0
