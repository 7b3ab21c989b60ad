# Node a of the remote scenarios (tests/scenarios/remote_lib.sh) as a
# second riscv64 machine: remote_lib.sh sources this file last when
# SCENARIO_PLATFORM=qemu-riscv64, and its functions replace those that
# start, stop and change linux core in $TA. Node a is booted, fed and
# stopped by this harness's own functions (qemu-riscv64.sh) with $TA as
# the target, $PID_A as the machine and fd 8 for its control channel
# (node b, lib.sh's, keeps $T, $CORE_PID and fd 9).
#
# The nodes reach each other as core's Net service on riscv lets them
# (core/riscv/net_service.h): each machine's QEMU bridges the ports that
# its net.policy names to host TCP sockets (rv_policy_net_args), so node
# a's "listen" entry is a socket QEMU listens on, node b's "peers" entry
# one QEMU dials (again and again while a is down).
#
# The guests' clocks keep to the host's (-icount sleep=on): two machines
# talk over the host's sockets, and a guest whose clock jumped ahead
# while it idled (sleep=off) would see its peer's link time out.
RV_ICOUNT_SLEEP=on
RV_A_FD=8

# rv_as_a CMD...: CMD, a function of this harness, on node a's machine.
# RV_ON_A says so while it runs: a failure in CMD ends the scenario, and
# its trap must clean up node b as node b (remote_cleanup, below).
RV_ON_A=0
rv_as_a() {
  rv_b_t=$T rv_b_pid=$CORE_PID rv_b_fd=$RV_FD rv_b_netns=$RV_NETNS
  T=$TA CORE_PID=$PID_A RV_FD=$RV_A_FD RV_NETNS=$RV_NETNS_A RV_ON_A=1
  "$@"
  rv_status=$?
  PID_A=$CORE_PID
  T=$rv_b_t CORE_PID=$rv_b_pid RV_FD=$rv_b_fd RV_NETNS=$rv_b_netns RV_ON_A=0
  return "$rv_status"
}

# remote_netns (remote_lib.sh) makes the namespaces and the veth pair as
# on linux; each node's machine runs in its namespace (start_core's
# RV_NETNS), so QEMU's host sockets are that node's: a listens on its
# address there, b dials it over the veth pair.
RV_NETNS_A=""
netns_cores() {
  RV_NETNS="/run/netns/$NS_B"
  RV_NETNS_A="/run/netns/$NS_A"
}

# node a's core takes no options, as linux's start_a gives none
start_a() {
  [ -z "$PID_A" ] || fail "node a already runs"
  rv_as_a start_core
}

# As linux's stop_a kills node a's core: the machine goes at once (QEMU
# killed, so its sockets close as a crashed host's would, and node b sees
# its link go down), then nothing of it may be left running.
stop_a() {
  [ -n "$PID_A" ] || return 0
  rv_as_a rv_kill_machine || fail "node a: processes left behind: $left"
}

# rv_kill_machine: 1 when something of the machine still runs after it
rv_kill_machine() {
  for p in $(rv_host_processes); do kill -KILL "$p" 2>/dev/null; done
  wait "$CORE_PID" 2>/dev/null
  CORE_PID=""
  eval "exec $RV_FD>&-"
  rm -f "$T/domains"
  left=$(rv_host_processes)
  [ -z "$left" ]
}

# node a's machine is its own: its control channel and its reports
on_machine_a() { rv_as_a "$@"; }

# A config of node a changed: pushed to its machine while it runs (as
# write_config does for node b), as linux core would read the new file.
a_config_changed() {
  [ -n "$PID_A" ] || return 0
  rv_as_a rv_push "config/$1" "$TA/config/$1"
}

remote_cleanup() {
  if [ "$RV_ON_A" = 1 ]; then
    PID_A=$CORE_PID
    T=$rv_b_t CORE_PID=$rv_b_pid RV_FD=$rv_b_fd RV_NETNS=$rv_b_netns RV_ON_A=0
  fi
  if [ -n "$PID_A" ]; then
    rv_as_a rv_kill_machine >/dev/null 2>&1
  fi
  PID_A=""
  if [ -n "$NS_A" ]; then
    ip netns del "$NS_A" 2>/dev/null; ip netns del "$NS_B" 2>/dev/null
    ip link del "$VA" 2>/dev/null
  fi
  [ -z "${SCENARIO_KEEP:-}" ] && rm -rf "$TA"
  return 0
}
