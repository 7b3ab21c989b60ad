# Helpers of the remote scenarios (50, 51, 70-72) and of the remote bench
# (tests/bench/remote_bench.sh), sourced after lib.sh and scenario_begin:
# a second node "a" in its own target $TA beside lib.sh's node "b" in $T,
# both with keys from remote-key; on 127.0.0.1, or in two network
# namespaces joined by a veth pair (remote_netns). remote_setup: node a
# runs remote_rom_server for config/shared, node b remote_rom_client and
# a reader (init-probe) of the ROM "shared"; rpc_setup and vault_setup:
# the generic RPC proxies by hand in front of a Counter or Vault server.
# Every node's init lists "Entropy" among its parent's services: core on
# riscv serves the proxies' TLS link its random numbers so (linux's
# components ask their kernel, and no session names the service there).
TA=$(mktemp -d /tmp/scenario-remote-a.XXXXXX) && TA=$(cd "$TA" && pwd -P)
PID_A=""
A_PREFIX=""            # a command that core of node a runs under (nsenter ...)
NS_A="" NS_B="" VA="" VB=""   # remote_netns: the namespaces and the veth pair
# The links' keepalive in every config these helpers write (the proxies'
# "peer" and init's "nodes" entries, runtime/format/README.md): empty, the
# proxies' default (a quiet link pinged after 5 s, given up after 15);
# remote_keepalive MS sets it, so that a scenario cutting the wire waits
# out 3 * MS instead.
KEEPALIVE=""
remote_keepalive() { KEEPALIVE=", \"keepalive_ms\": $1"; }
stop_a() {
  if [ -n "$PID_A" ]; then
    kill -KILL "-$PID_A" 2>/dev/null; kill -KILL "$PID_A" 2>/dev/null
    wait "$PID_A" 2>/dev/null
  fi
  PID_A=""
  for p in $(pgrep -f -- "--target $TA" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  # what runs in $TA without "--target" in its command line (a child)
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/cwd" 2>/dev/null)" = "$TA" ] && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  return 0
}
remote_cleanup() {
  stop_a
  if [ -n "$NS_A" ]; then
    ip netns del "$NS_A" 2>/dev/null; ip netns del "$NS_B" 2>/dev/null
    ip link del "$VA" 2>/dev/null
  fi
  [ -z "${SCENARIO_KEEP:-}" ] && rm -rf "$TA"
}
start_a() {
  (cd "$TA" && exec setsid $A_PREFIX "$BUILD_RELEASE/bin/core" --target "$TA" >>"$TA/out" 2>&1) &
  PID_A=$!
}
# remote_netns TAG: nodes a and b in two network namespaces joined by a
# veth pair, a at $NET.1 ($ADDR_A), b at $NET.2 ($ADDR_B); a's core
# (start_a) and b's (lib.sh's start_core) run under `nsenter --net` (the
# mounts and cgroups stay the host's); remote_cleanup removes them.
# Without root, `ip netns` or veth it calls skip (the caller's: a
# scenario says why and fails, the bench says why and measures nothing).
remote_netns() {
  NS_A=$1a.$$ NS_B=$1b.$$ VA=$1a$$ VB=$1b$$
  NET=10.$((140 + $$ % 100)).$(( ($$ / 100) % 250 ))
  ADDR_A=$NET.1 ADDR_B=$NET.2
  [ "$(id -u)" -eq 0 ] || { NS_A=""; skip "network namespaces need root"; }
  command -v ip >/dev/null && command -v nsenter >/dev/null ||
    { NS_A=""; skip "no ip or nsenter (iproute2, util-linux)"; }
  ip netns add "$NS_A" 2>/dev/null && ip netns add "$NS_B" 2>/dev/null \
    || skip "cannot make network namespaces (ip netns add failed)"
  ip link add "$VA" type veth peer name "$VB" 2>/dev/null || skip "cannot make a veth pair"
  ip link set "$VA" netns "$NS_A" && ip link set "$VB" netns "$NS_B" \
    && ip -n "$NS_A" addr add "$ADDR_A/24" dev "$VA" && ip -n "$NS_B" addr add "$ADDR_B/24" dev "$VB" \
    && ip -n "$NS_A" link set "$VA" up && ip -n "$NS_B" link set "$VB" up \
    && ip -n "$NS_A" link set lo up && ip -n "$NS_B" link set lo up \
    || fail "cannot set up the veth pair between $NS_A and $NS_B"
  netns_cores
}
# netns_cores: each node's core in its namespace (riscv: its machine,
# remote-riscv64.sh)
netns_cores() {
  # core of node b through a wrapper, so that lib.sh's start_core runs it
  # in b's namespace
  cat > "$T/core-in-b" <<WRAP
#!/bin/sh
exec nsenter --net=/run/netns/$NS_B "$BUILD_RELEASE/bin/core" "\$@"
WRAP
  chmod +x "$T/core-in-b"
  CORE_BINARY=$T/core-in-b
  A_PREFIX="nsenter --net=/run/netns/$NS_A"
}
# wait_a PATTERN [SECONDS]: until node a's output holds the line
wait_a() {
  tries=$(( ${2:-$WAIT_DEFAULT} * 10 ))
  until grep -qF -- "$1" "$TA/out" 2>/dev/null; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || { sed 's/^/#   a| /' "$TA/out" | tail -n 20; fail "node a: no '$1'"; }
    sleep 0.1
  done
}
# wait_count PATTERN COUNT: until node b's output holds COUNT such lines
wait_count() {
  tries=$((WAIT_DEFAULT * 10))
  while [ "$(grep -cF -- "$1" "$T/out" 2>/dev/null)" -lt "$2" ]; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || fail "node b: fewer than $2 lines '$1'"
    sleep 0.1
  done
}
# update_a TEXT: a new version of config/shared on node a
update_a() {
  printf '%s' "$1" > "$TA/config/.shared.tmp" && mv "$TA/config/.shared.tmp" "$TA/config/shared"
  a_config_changed shared
}
# a_config_changed NAME: node a's config/NAME changed while it may run;
# linux core sees the file, core on riscv gets it pushed (remote-riscv64.sh)
a_config_changed() { :; }
# on_machine_a CMD...: CMD, a function of the harness that names what it
# looks at by a pid (thread_switches), against node a's machine: on linux
# the host both nodes share, on riscv node a's own (remote-riscv64.sh)
on_machine_a() { "$@"; }
# install_module_a BINARY NAME: the program BINARY as node a's boot module NAME
install_module_a() {
  cp "$(program_file "$1")" "$TA/boot/$2" || fail "cannot install $1 on node a"
}
# remote_keys: the keys of node a (in $TA/config) and b (in $T/config);
# FP_A and FP_B their pins
remote_keys() {
  mkdir -p "$TA/boot" "$TA/config"
  FP_A=$("$BUILD_RELEASE/bin/remote-key" a "$TA/config") || fail "remote-key a"
  FP_B=$("$BUILD_RELEASE/bin/remote-key" b "$T/config") || fail "remote-key b"
}
# remote_policies ADDRESS_A PORT CLIENT_A CLIENT_B: core's net.policy on
# both nodes: CLIENT_A (a label on a) listens on ADDRESS_A:PORT, CLIENT_B
# (on b) may dial node a there
remote_policies() {
  printf '{"listen": [{"address": "%s", "port": %s, "clients": ["%s"]}]}\n' \
    "$1" "$2" "$3" > "$TA/config/net.policy"
  write_config net.policy "{\"peers\": [{\"node\": \"a\", \"address\": \"$1\", \"port\": $2, \"clients\": [\"$4\"]}]}"
}
# remote_setup ADDRESS_A ADDRESS_B PORT: keys, policies and configs
remote_setup() {
  for m in init init-probe remote_rom_client; do install_module $m $m; done
  remote_keys
  for m in init remote_rom_server; do install_module_a $m $m; done
  remote_policies "$1" "$3" "init -> rom_a" "init -> rom_b"
  update_a 'version one'
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [{"service": "*", "to": "parent"}],
  "start": [
    {"name": "rom_a", "binary": "remote_rom_server", "ram": "16M",
     "route": [{"service": "ROM", "to": "parent"}, {"service": "*", "to": "parent"}],
     "config": {"modules": ["shared"], "port": '"$3"', "key": "a.key", "cert": "a.crt",
                "peer": {"node": "b", "fingerprint": "'"$FP_B"'"'"$KEEPALIVE"'}}}]}' > "$TA/config/init.config"
  write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [
    {"service": "ROM", "label": "reader -> shared", "to": "rom_b"},
    {"service": "ROM", "label_prefix": "rom_b", "to": "parent"},
    {"service": "*", "to": "parent"}],
  "start": [
    {"name": "rom_b", "binary": "remote_rom_client", "ram": "16M", "provides": ["ROM"],
     "config": {"key": "b.key", "cert": "b.crt", "modules": ["shared"],
                "peer": {"node": "a", "fingerprint": "'"$FP_A"'"'"$KEEPALIVE"'}}},
    {"name": "reader", "binary": "init-probe", "ram": "10M",
     "config": {"rom": "shared"}}]}'
}
# rpc_nodes SERVICE INTERFACE SERVER ADDRESS_A PORT: the generic RPC
# proxies by hand: on node a the binary SERVER (providing SERVICE) and
# remote_rpc_server ("rpc_a") in front of it; node b's remote_rpc_client
# ("rpc_b") serves SERVICE with INTERFACE; rpc_config_b writes b's config
rpc_nodes() {
  RPC_SERVICE=$1 RPC_INTERFACE=$2
  for m in init remote_rpc_client; do install_module $m $m; done
  remote_keys
  for m in init remote_rpc_server "$3"; do install_module_a "$m" "$m"; done
  remote_policies "$4" "$5" "init -> rpc_a" "init -> rpc_b"
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [{"service": "*", "to": "parent"}],
  "start": [
    {"name": "'"$(echo "$1" | tr 'A-Z' 'a-z')"'", "binary": "'"$3"'", "ram": "4M", "provides": ["'"$1"'"]},
    {"name": "rpc_a", "binary": "remote_rpc_server", "ram": "16M",
     "route": [{"service": "'"$1"'", "to": "'"$(echo "$1" | tr 'A-Z' 'a-z')"'"}, {"service": "ROM", "to": "parent"},
               {"service": "*", "to": "parent"}],
     "config": {"service": "'"$1"'", "port": '"$5"', "key": "a.key", "cert": "a.crt",
                "peer": {"node": "b", "fingerprint": "'"$FP_B"'"'"$KEEPALIVE"'}}}]}' > "$TA/config/init.config"
}
# rpc_config_b START: node b's init config: rpc_b (rpc_nodes) and the start
# entries START (JSON, comma-separated; may be empty) beside it
rpc_config_b() {
  write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [
    {"service": "'"$RPC_SERVICE"'", "to": "rpc_b"},
    {"service": "ROM", "label_prefix": "rpc_b", "to": "parent"},
    {"service": "*", "to": "parent"}],
  "start": [
    {"name": "rpc_b", "binary": "remote_rpc_client", "ram": "16M", "provides": ["'"$RPC_SERVICE"'"],
     "config": {"service": "'"$RPC_SERVICE"'", "interface": "'"$RPC_INTERFACE"'",
                "key": "b.key", "cert": "b.crt",
                "peer": {"node": "a", "fingerprint": "'"$FP_A"'"'"$KEEPALIVE"'}}}'"${1:+, $1}"']}'
}
# rpc_setup ADDRESS_A ADDRESS_B PORT: the remote RPC scenarios (70, 72):
# node a runs counter and remote_rpc_server, node b remote_rpc_client (as
# "Counter") and rpc-probe
rpc_setup() {
  rpc_nodes Counter counter_session counter "$1" "$3"
  install_module rpc-probe rpc-probe
  rpc_config_b '{"name": "probe", "binary": "rpc-probe", "ram": "4M"}'
}
# vault_setup ADDRESS PORT: the remote capability scenario (71): node a runs
# vault-server and remote_rpc_server, node b remote_rpc_client (as
# "Vault") and vault-probe
vault_setup() {
  rpc_nodes Vault vault vault-server "$1" "$2"
  install_module vault-probe vault-probe
  rpc_config_b '{"name": "probe", "binary": "vault-probe", "ram": "4M"}'
}
# Node a as a second riscv64 machine (tests/riscv-scenarios/remote-riscv64.sh)
case ${SCENARIO_PLATFORM:-linux} in
  qemu-riscv64) . "$(dirname "$0")/../riscv-scenarios/remote-riscv64.sh" ;;
esac
