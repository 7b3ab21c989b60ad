# Helpers of the routed remote RPC scenarios (77, 78, 79), sourced after
# remote_route_lib.sh (the namespaces, node a's target $TA, wait_a,
# wait_fact): node a runs the Counter server (pkg/counter) and exports
# Counter to b on its own port; node b routes rpc-probe's Counter session
# to node a. Neither config names a proxy: init makes
# remote-rpc-to-b-counter on a and remote-rpc-from-a-counter on b
# (runtime/init/README.md, "Routes to other nodes").
RPC_PORT=7500 VAULT_PORT=7501

# b_policy PORT: node b's network policy, its Counter proxy dialling a's PORT
b_policy() {
  write_config net.policy "{\"peers\": [{\"node\": \"a\", \"address\": \"$ADDR_A\", \"port\": $1, \"clients\": [\"init -> remote-rpc-from-a-counter\"]}]}"
}

# a_config EXPORTS [NODE_EXTRA]: node a's init.config with that "exports"
# list (NODE_EXTRA: more fields of "node", e.g. ', "pkg": "..."')
a_config() {
  printf '%s\n' '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [{"service": "*", "to": "parent"}],
  "report": {"delay_ms": 50},
  "node": {"name": "a", "key": "a.key", "cert": "a.crt"'"${2:-}"'},
  "nodes": [{"name": "b", "fingerprint": "'"$FP_B"'"'"$KEEPALIVE"'}],
  "exports": '"$1"',
  "start": [
    {"name": "counter", "binary": "counter", "ram": "4M", "provides": ["Counter"]},
    {"name": "vault", "binary": "vault-server", "ram": "4M", "provides": ["Vault"]}]}' \
    > "$TA/config/.init.config.tmp" && mv "$TA/config/.init.config.tmp" "$TA/config/init.config"
  a_config_changed init.config
}
COUNTER_EXPORT='[{"node": "b", "service": "Counter", "port": '$RPC_PORT', "from": "counter"}]'

# b_config [NODE_EXTRA]: node b's init.config: probe's Counter to node a
b_config() {
  write_config init.config '{
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM", "Net", "Entropy"],
  "default_route": [
    {"service": "Counter", "to": {"node": "a", "service": "Counter"}},
    {"service": "*", "to": "parent"}],
  "report": {"delay_ms": 50},
  "node": {"name": "b", "key": "b.key", "cert": "b.crt"'"${1:-}"'},
  "nodes": [{"name": "a", "fingerprint": "'"$FP_A"'"'"$KEEPALIVE"'}],
  "start": [{"name": "probe", "binary": "rpc-probe", "ram": "4M"}]}'
}

rpc_route_setup() {
  mkdir -p "$TA/boot" "$TA/config"
  for m in init rpc-probe vault-probe remote_rpc_client; do install_module $m $m; done
  for m in init remote_rpc_server counter vault-server; do install_module_a $m $m; done
  FP_A=$("$BUILD_RELEASE/bin/remote-key" a "$TA/config") || fail "remote-key a"
  FP_B=$("$BUILD_RELEASE/bin/remote-key" b "$T/config") || fail "remote-key b"
  printf '{"listen": [{"address": "%s", "port": %s, "clients": ["init -> remote-rpc-to-b-counter"]},
 {"address": "%s", "port": %s, "clients": ["init -> remote-rpc-to-b-vault"]}]}\n' \
    "$ADDR_A" "$RPC_PORT" "$ADDR_A" "$VAULT_PORT" > "$TA/config/net.policy"
  a_config "$COUNTER_EXPORT"
  b_policy "$RPC_PORT"
  b_config
}
