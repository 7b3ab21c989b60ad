# NOT IN THE SUITE YET (named .sh, so run-suite and `make test` skip it;
# run it by hand: cd tests/scenarios && sh init-soak.sh). It still fails
# now and then, on two findings that are not fixed (runtime/init/
# README.md, "Supervision: what is not done yet"):
#   - a client's LOG line is lost when its LOG route moves twice within
#     about one line's period (log_b -> log_a -> log_b: seed 11, "gap
#     after 120: 122");
#   - init or core holds one file descriptor (a capability socket) more
#     after the soak than after the warm-up in some runs (seeds 10, 14);
#     with a warm-up of 100 steps and 300 more, no growth was seen, so it
#     looks like a pool that grows once late, not a leak per change, but
#     that is not proven.
#
# Soak (issue 10, item 7, bounded): SOAK_STEPS (default 250) random
# config changes, valid and invalid, against a running system whose
# client logs continuously: an extra child added and removed, its quota
# raised and lowered, its config and version changed, the client's LOG
# moved between two log servers, log_b's `provides` withdrawn and given
# back, a restart policy changed, and invalid configs (broken JSON, an
# unknown field, a route to a server that does not provide the service,
# more ram than init has). Each change is waited for (applied or
# refused). After a warm-up of SOAK_WARMUP steps (default 20) and after
# the last step, the first config is applied again and measured: at the
# end, init and core hold as many file descriptors as after the warm-up,
# init has as much quota free, every process the report says runs runs and no other, the
# children never touched by a change (timer, counter, client, log_a)
# kept their processes, and no line of the client is lost or doubled
# (its counter values go on without a gap across both log servers).
# Random but reproducible: SOAK_SEED (default 10) seeds the choices;
# SOAK_KINDS (e.g. "0 1 5") limits them to some kinds of change, to find
# which one a failure comes from. About 10 s for 250 steps.
. ./lib.sh
scenario_begin init-soak
for m in init init-probe timer counter counter_client log_server; do install_module $m $m; done
STEPS=${SOAK_STEPS:-250}
SEED=${SOAK_SEED:-10}
CHECK=$BUILD_RELEASE/bin/state-report-check
[ -x "$CHECK" ] || fail "no $CHECK"
REPORT=$T/report/init.state

# config STEP LOG_TARGET LOG_B_PROVIDES EXTRA_CHILD BROKEN
config() {
  write_config init.config "$5"'{
  "version": "'"$1"'",
  "parent_provides": ["ROM", "LOG", "PD", "CPU", "RM"],
  "default_route": [{"service": "*", "to": "parent"}],
  "report": {"delay_ms": 20},
  "start": [
    {"name": "log_a", "binary": "log_server", "ram": "4M", "provides": ["LOG"]},
    {"name": "log_b", "binary": "log_server", "ram": "4M", "provides": ['"$3"']},
    {"name": "timer", "binary": "timer", "ram": "4M", "provides": ["Timer"]},
    {"name": "counter", "binary": "counter", "ram": "4M", "provides": ["Counter"]},
    {"name": "client", "binary": "counter_client", "ram": "4M",
     "route": [{"service": "LOG", "to": "'"$2"'"},
               {"service": "Timer", "to": "timer"},
               {"service": "Counter", "to": "counter"}],
     "config": {"increments": 1000000, "period_ms": 50}}'"$4"']}'
}

# init's lines from its log file: the terminal ($T/out) is rate-limited
# (core/README.md), the file has every line
LOG=$T/log/init.log
outcomes() { grep -cE '^\[init\] (config applied|config version [0-9]+ refused)' "$LOG" 2>/dev/null; }
wait_outcomes() {
  tries=100
  while [ "$(outcomes)" -lt "$1" ] && [ "$tries" -gt 0 ]; do sleep 0.05; tries=$((tries - 1)); done
  [ "$(outcomes)" -ge "$1" ] || fail "step $2: the config was neither applied nor refused"
}
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
free_line() { grep -E '^\[init\] config applied: 5 children' "$LOG" | sed 's/.*init has //' | "$1" -n 1; }

config 0 log_a '"LOG"' "" ""
start_core
wait_line '[init -> log_a] [client] shared page says'
wait_outcomes 1 0
sleep 0.5
init=$(pid_of init); core=$CORE_PID
log_a=$(pid_of log_a); timer=$(pid_of timer); counter=$(pid_of counter); client=$(pid_of client)

# measure: the first config again, settled; then init's and core's file
# descriptors and init's free quota (after a warm-up: pools of worker
# threads and session records grow to what the load needs, once)
WARMUP=${SOAK_WARMUP:-50}
measure() {
  config "measure-$1" log_a '"LOG"' "" ""
  expected=$((expected + 1))
  wait_outcomes "$expected" "measure-$1"
  sleep 1   # session workers and the report settle
  eval "init_fds_$1=\$(fds \"\$init\")"
  eval "core_fds_$1=\$(fds \"\$core\")"
  eval "free_$1=\$(free_line tail)"
}

# the choices, one a line: the kind of change and a random number
# (SOAK_KINDS: only these kinds, to find which one leaks)
awk -v n="$STEPS" -v seed="$SEED" -v kinds="${SOAK_KINDS:-0 1 2 3 4 5 6 7 8 9 10 11}" '
  BEGIN { srand(seed); k = split(kinds, kind, " ")
          for (i = 1; i <= n; i++) print kind[1 + int(rand() * k)], int(rand() * 1000) }' \
  > "$T/choices"

target=log_a; provides='"LOG"'; extra=""; ram=2; version=1; policy=never; expected=1
step=0
while read -r kind r; do
  step=$((step + 1))
  broken=""; t=$target; p=$provides; e=$extra
  case $kind in
    0) e=',
    {"name": "extra", "binary": "init-probe", "ram": "'"$ram"'M", "version": "'"$version"'",
     "restart": "'"$policy"'", "config": {"roms": ["config"], "n": '"$r"'}}' ;;
    1) e="" ;;
    2) ram=$((ram % 3 + 1)); [ -n "$extra" ] && e=$(printf '%s' "$extra" | sed "s/\"ram\": \"[0-9]M\"/\"ram\": \"${ram}M\"/") ;;
    3) version=$((version + 1)); [ -n "$extra" ] && e=$(printf '%s' "$extra" | sed "s/\"version\": \"[0-9]*\"/\"version\": \"$version\"/") ;;
    4) [ -n "$extra" ] && e=$(printf '%s' "$extra" | sed "s/\"n\": [0-9]*/\"n\": $r/") ;;
    5) if [ "$target" = log_a ] && [ -n "$provides" ]; then t=log_b; else t=log_a; fi ;;
    6) [ "$target" = log_b ] || p="" ;;
    7) p='"LOG"' ;;
    8) case $policy in never) policy=always ;; *) policy=never ;; esac
       [ -n "$extra" ] && e=$(printf '%s' "$extra" | sed "s/\"restart\": \"[a-z-]*\"/\"restart\": \"$policy\"/") ;;
    9) broken='{"x": ' ;;                         # not JSON
    10) broken='{"strat": [], "x": ' ;;           # still not JSON, a different way
    11) t=log_b; p="" ;;                          # routed to a non-provider: invalid
  esac
  config "$step" "$t" "$p" "$e" "$broken"
  expected=$((expected + 1))
  wait_outcomes "$expected" "$step"
  # what was applied becomes the running state; a refused one changes nothing
  last=$(grep -E '^\[init\] (config applied|config version [0-9]+ refused)' "$LOG" | tail -n 1)
  case $last in
    *applied*) target=$t; provides=$p; extra=$e ;;
  esac
  if [ "$step" -eq "$WARMUP" ]; then
    measure before
    target=log_a; provides='"LOG"'; extra=""
  fi
done < "$T/choices"
[ "$step" -ge "$WARMUP" ] || fail "SOAK_STEPS must be at least the warm-up ($WARMUP)"
measure after
if [ -z "${SOAK_KINDS:-}" ]; then
  [ "$(grep -cE '^\[init\] config version [0-9]+ refused' "$LOG")" -gt 0 ] || fail "no invalid config was tried"
  [ "$(grep -c '^\[init\] removed child "extra"' "$LOG")" -gt 0 ] || fail "extra was never removed"
fi

same_process init "$init"
for n in log_a timer counter client; do eval "same_process $n \"\$$n\""; done
[ -z "$(pid_of extra)" ] || fail "extra still runs"
[ "$init_fds_after" -eq "$init_fds_before" ] ||
  fail "init had $init_fds_before file descriptors, now $init_fds_after"
[ "$core_fds_after" -eq "$core_fds_before" ] ||
  fail "core had $core_fds_before file descriptors, now $core_fds_after"
[ "$free_after" = "$free_before" ] ||
  fail "init's free quota: at first $free_before, now $free_after"
"$CHECK" "$REPORT" > "$T/facts" || fail "the report does not parse"
for name in $(sed -n 's/^child \([^ ]*\) .*state=running.*/\1/p' "$T/facts"); do
  [ -n "$(pid_of "$name")" ] || fail "the report says $name runs, but no process does"
done
[ "$(grep -c '^child ' "$T/facts")" -eq 5 ] || fail "the report lists $(grep -c '^child ' "$T/facts") children"
grep -F '] [client] shared page says' "$LOG" |
  sed 's/.*shared page says \([0-9]*\).*/\1/' |
  awk 'NR > 1 && $1 != prev + 1 { print "# gap after " prev ": " $1; bad = 1 }
       { prev = $1 } END { exit bad }' || fail "a client line was lost or doubled"
echo "# soak: $STEPS steps, $(grep -cE '^\[init\] config version [0-9]+ refused' "$LOG") refused, init fds $init_fds_after, core fds $core_fds_after, free $free_after"
stop_core
