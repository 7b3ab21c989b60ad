# Helpers of the remote scenarios (42, 43), sourced after lib.sh and
# scenario_begin: a second node "a" in its own target $TA beside lib.sh's
# node "b" in $T, both with keys from remote-key, node a running
# remote_rom_server for config/shared, node b remote_rom_client and a
# reader (init-probe) of the ROM "shared".
TA=$(mktemp -d /tmp/scenario-remote-a.XXXXXX) && TA=$(cd "$TA" && pwd -P)
PID_A=""
A_PREFIX=""            # a command that core of node a runs under (nsenter ...)
stop_a() {
  if [ -n "$PID_A" ]; then
    kill -KILL "-$PID_A" 2>/dev/null; kill -KILL "$PID_A" 2>/dev/null
    wait "$PID_A" 2>/dev/null
  fi
  PID_A=""
  for p in $(pgrep -f -- "--target $TA" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
}
remote_cleanup() { stop_a; [ -z "${SCENARIO_KEEP:-}" ] && rm -rf "$TA"; }
start_a() {
  (cd "$TA" && exec setsid $A_PREFIX "$BUILD_RELEASE/bin/core" --target "$TA" >>"$TA/out" 2>&1) &
  PID_A=$!
}
# wait_a PATTERN: until node a's output holds the line
wait_a() {
  tries=$((WAIT_DEFAULT * 10))
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
}
# remote_setup ADDRESS_A ADDRESS_B PORT: keys, policies and configs
remote_setup() {
  mkdir -p "$TA/boot" "$TA/config"
  for m in init init-probe remote_rom_client; do install_module $m $m; done
  cp "$BUILD_RELEASE/bin/init" "$BUILD_RELEASE/bin/remote_rom_server" "$TA/boot/"
  FP_A=$("$BUILD_RELEASE/bin/remote-key" a "$TA/config") || fail "remote-key a"
  FP_B=$("$BUILD_RELEASE/bin/remote-key" b "$T/config") || fail "remote-key b"
  printf '{"listen": [{"address": "%s", "port": %s, "clients": ["init -> rom_a"]}]}\n' \
    "$1" "$3" > "$TA/config/net.policy"
  update_a 'version one'
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [{"service": "*", "to": "parent"}],
  "start": [
    {"name": "rom_a", "binary": "remote_rom_server", "ram": "16M",
     "route": [{"service": "ROM", "to": "parent"}, {"service": "*", "to": "parent"}],
     "config": {"modules": ["shared"], "port": '"$3"', "key": "a.key", "cert": "a.crt",
                "peer": {"node": "b", "fingerprint": "'"$FP_B"'"}}}]}' > "$TA/config/init.config"
  write_config net.policy "{\"peers\": [{\"node\": \"a\", \"address\": \"$1\", \"port\": $3, \"clients\": [\"init -> rom_b\"]}]}"
  write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [
    {"service": "ROM", "label": "reader -> shared", "to": "rom_b"},
    {"service": "ROM", "label_prefix": "rom_b", "to": "parent"},
    {"service": "*", "to": "parent"}],
  "start": [
    {"name": "rom_b", "binary": "remote_rom_client", "ram": "16M", "provides": ["ROM"],
     "config": {"key": "b.key", "cert": "b.crt", "modules": ["shared"],
                "peer": {"node": "a", "fingerprint": "'"$FP_A"'"}}},
    {"name": "reader", "binary": "init-probe", "ram": "10M",
     "config": {"rom": "shared"}}]}'
}
# rpc_setup ADDRESS_A ADDRESS_B PORT: the remote RPC scenarios (70): node a
# runs counter and remote_rpc_server, node b remote_rpc_client (as
# "Counter") and rpc-probe
rpc_setup() {
  mkdir -p "$TA/boot" "$TA/config"
  for m in init rpc-probe remote_rpc_client; do install_module $m $m; done
  cp "$BUILD_RELEASE/bin/init" "$BUILD_RELEASE/bin/remote_rpc_server" \
     "$BUILD_RELEASE/bin/counter" "$TA/boot/"
  FP_A=$("$BUILD_RELEASE/bin/remote-key" a "$TA/config") || fail "remote-key a"
  FP_B=$("$BUILD_RELEASE/bin/remote-key" b "$T/config") || fail "remote-key b"
  printf '{"listen": [{"address": "%s", "port": %s, "clients": ["init -> rpc_a"]}]}\n' \
    "$1" "$3" > "$TA/config/net.policy"
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [{"service": "*", "to": "parent"}],
  "start": [
    {"name": "counter", "binary": "counter", "ram": "4M", "provides": ["Counter"]},
    {"name": "rpc_a", "binary": "remote_rpc_server", "ram": "16M",
     "route": [{"service": "Counter", "to": "counter"}, {"service": "ROM", "to": "parent"},
               {"service": "*", "to": "parent"}],
     "config": {"service": "Counter", "port": '"$3"', "key": "a.key", "cert": "a.crt",
                "peer": {"node": "b", "fingerprint": "'"$FP_B"'"}}}]}' > "$TA/config/init.config"
  write_config net.policy "{\"peers\": [{\"node\": \"a\", \"address\": \"$1\", \"port\": $3, \"clients\": [\"init -> rpc_b\"]}]}"
  write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [
    {"service": "Counter", "to": "rpc_b"},
    {"service": "ROM", "label_prefix": "rpc_b", "to": "parent"},
    {"service": "*", "to": "parent"}],
  "start": [
    {"name": "rpc_b", "binary": "remote_rpc_client", "ram": "16M", "provides": ["Counter"],
     "config": {"service": "Counter", "interface": "counter_session",
                "key": "b.key", "cert": "b.crt",
                "peer": {"node": "a", "fingerprint": "'"$FP_A"'"}}},
    {"name": "probe", "binary": "rpc-probe", "ram": "4M"}]}'
}
# vault_setup ADDRESS PORT: the remote capability scenario (71): node a runs
# vault-server and remote_rpc_server, node b remote_rpc_client (as
# "Vault") and vault-probe
vault_setup() {
  mkdir -p "$TA/boot" "$TA/config"
  for m in init vault-probe remote_rpc_client; do install_module $m $m; done
  cp "$BUILD_RELEASE/bin/init" "$BUILD_RELEASE/bin/remote_rpc_server" \
     "$BUILD_RELEASE/bin/vault-server" "$TA/boot/"
  FP_A=$("$BUILD_RELEASE/bin/remote-key" a "$TA/config") || fail "remote-key a"
  FP_B=$("$BUILD_RELEASE/bin/remote-key" b "$T/config") || fail "remote-key b"
  printf '{"listen": [{"address": "%s", "port": %s, "clients": ["init -> rpc_a"]}]}\n' \
    "$1" "$2" > "$TA/config/net.policy"
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [{"service": "*", "to": "parent"}],
  "start": [
    {"name": "vault", "binary": "vault-server", "ram": "4M", "provides": ["Vault"]},
    {"name": "rpc_a", "binary": "remote_rpc_server", "ram": "16M",
     "route": [{"service": "Vault", "to": "vault"}, {"service": "ROM", "to": "parent"},
               {"service": "*", "to": "parent"}],
     "config": {"service": "Vault", "port": '"$2"', "key": "a.key", "cert": "a.crt",
                "peer": {"node": "b", "fingerprint": "'"$FP_B"'"}}}]}' > "$TA/config/init.config"
  write_config net.policy "{\"peers\": [{\"node\": \"a\", \"address\": \"$1\", \"port\": $2, \"clients\": [\"init -> rpc_b\"]}]}"
  write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net"],
  "default_route": [
    {"service": "Vault", "to": "rpc_b"},
    {"service": "ROM", "label_prefix": "rpc_b", "to": "parent"},
    {"service": "*", "to": "parent"}],
  "start": [
    {"name": "rpc_b", "binary": "remote_rpc_client", "ram": "16M", "provides": ["Vault"],
     "config": {"service": "Vault", "interface": "vault",
                "key": "b.key", "cert": "b.crt",
                "peer": {"node": "a", "fingerprint": "'"$FP_A"'"}}},
    {"name": "probe", "binary": "vault-probe", "ram": "4M"}]}'
}
