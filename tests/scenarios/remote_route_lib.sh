# Helpers of the routed remote scenarios (74, 75, 76), sourced after
# lib.sh and scenario_begin, over remote_lib.sh: two nodes in two network
# namespaces joined by a veth pair (remote_netns), node "a" in its own
# target $TA beside lib.sh's node "b" in $T, each core under `nsenter
# --net`. The users' configs hold routes
# and exports only (runtime/init/README.md, "Routes to other nodes"):
# init makes the proxies. Node a exports config/shared (and config/other)
# to b; on b, "reader" reads shared and "reader2" reads other, both from
# a. Without root, `ip netns` or veth the scenario says why and fails
# (a skip is never silent).
. ./remote_lib.sh
PORT=7400
CHECK=$BUILD_RELEASE/bin/state-report-check

route_cleanup() {
  stop_a
  cleanup
  remote_cleanup
  return 0
}
trap route_cleanup EXIT
skip() { echo "# SKIP: $*"; exit 1; }
cut_wire() { ip -n "$NS_A" link set "$VA" down || fail "cannot cut the wire"; }
restore_wire() { ip -n "$NS_A" link set "$VA" up || fail "cannot restore the wire"; }

# count_b TEXT: how many lines of node b's output hold TEXT
count_b() { grep -cF -- "$1" "$T/out" 2>/dev/null; }
# wait_count_b TEXT COUNT [SECONDS]
wait_count_b() {
  tries=$(( ${3:-$WAIT_DEFAULT} * 10 ))
  while [ "$(count_b "$1")" -lt "$2" ]; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || fail "node b: fewer than $2 lines '$1'"
    sleep 0.1
  done
}
# update_a NAME TEXT: a new version of config/NAME on node a
update_a() {
  printf '%s' "$2" > "$TA/config/.$1.tmp" && mv "$TA/config/.$1.tmp" "$TA/config/$1"
  a_config_changed "$1"
}

# wait_fact DIR TEXT [SECONDS]: until the state report of the node whose
# target is DIR, parsed by the host tool, holds a line with TEXT
wait_fact() {
  tries=$(( ${3:-$WAIT_DEFAULT} * 10 ))
  while :; do
    "$CHECK" "$1/report/init.state" >"$1/facts" 2>"$1/facts.err" && grep -qF -- "$2" "$1/facts" \
      && return 0
    tries=$((tries - 1))
    if [ "$tries" -le 0 ]; then
      sed 's/^/#   facts| /' "$1/facts" "$1/facts.err"
      fail "the state report of $1 never said '$2'"
    fi
    sleep 0.1
  done
}

# new_key_a: node a gets a new key pair (its old pin no longer fits)
new_key_a() {
  rm -f "$TA/config/a.key" "$TA/config/a.crt"
  FP_A=$("$BUILD_RELEASE/bin/remote-key" a "$TA/config") || fail "remote-key a"
}

# route_setup: keys, network policies, the users' configs
route_setup() {
  mkdir -p "$TA/boot" "$TA/config"
  for m in init init-probe remote_rom_client; do install_module $m $m; done
  for m in init remote_rom_server; do install_module_a $m $m; done
  FP_A=$("$BUILD_RELEASE/bin/remote-key" a "$TA/config") || fail "remote-key a"
  FP_B=$("$BUILD_RELEASE/bin/remote-key" b "$T/config") || fail "remote-key b"
  printf '{"listen": [{"address": "%s", "port": %s, "clients": ["init -> remote-rom-to-b"]}]}\n' \
    "$ADDR_A" "$PORT" > "$TA/config/net.policy"
  update_a shared 'version one'
  update_a other 'other one'
  update_a secret 'not for b'
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [{"service": "*", "to": "parent"}],
  "report": {"delay_ms": 50},
  "node": {"name": "a", "key": "a.key", "cert": "a.crt"},
  "nodes": [{"name": "b", "fingerprint": "'"$FP_B"'", "port": '"$PORT"''"$KEEPALIVE"'}],
  "exports": [{"node": "b", "service": "ROM", "label": "shared"},
              {"node": "b", "service": "ROM", "label": "other"}]}' > "$TA/config/init.config"
  write_config net.policy "{\"peers\": [{\"node\": \"a\", \"address\": \"$ADDR_A\", \"port\": $PORT, \"clients\": [\"init -> remote-rom-from-a\"]}]}"
  write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [
    {"service": "ROM", "label_last": "shared",
     "to": {"node": "a", "service": "ROM", "label": "shared"}},
    {"service": "ROM", "label": "reader2 -> mirror",
     "to": {"node": "a", "service": "ROM", "label": "other"}},
    {"service": "ROM", "label": "reader3 -> secret",
     "to": {"node": "a", "service": "ROM", "label": "secret"}},
    {"service": "*", "to": "parent"}],
  "report": {"delay_ms": 50},
  "node": {"name": "b", "key": "b.key", "cert": "b.crt"},
  "nodes": [{"name": "a", "fingerprint": "'"$FP_A"'"'"$KEEPALIVE"'}],
  "start": [
    {"name": "reader", "binary": "init-probe", "ram": "6M", "config": {"rom": "shared"}},
    {"name": "reader2", "binary": "init-probe", "ram": "6M", "config": {"rom": "mirror"}},
    {"name": "reader3", "binary": "init-probe", "ram": "6M", "config": {"rom": "secret"}}]}'
}
