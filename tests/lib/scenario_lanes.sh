# shellcheck shell=sh
# The loop of the scenario suites (tests/scenarios/run-suite,
# tests/riscv-scenarios/run-suite): each scenario file runs in its own
# shell under a time limit and passes when it exits with 0; the suite
# prints TAP, the plan first, each scenario's diagnostics ("# ..." lines)
# before its line, in the order of the files.
#
# SCENARIO_JOBS of them (default 1) may run side by side; their results
# are kept per scenario and printed in order at the end. One by default:
# several scenarios wait on time (init's report delays, heartbeats, the
# soak's machine) and at a load of 10 two lanes made three of them miss
# their limits. What a scenario
# shares beyond its own target directory must not be used by two at
# once: a file that matches LANE_ALONE (an extended regular expression
# over its text: the project's depot tree, which mk/project-depot.sh
# makes anew in place) runs alone, before the others start.
#
#   LANE_LIMIT    seconds a scenario may take (120)
#   LANE_BUDGET   seconds the suite may take; once spent, the scenarios
#                 not yet started fail unrun (unset: no budget)
#   LANE_MISSING  why nothing can run (every scenario fails with it)
#   LANE_NOT_HERE an exit status that means "not on this platform",
#                 which fails too, with a word that says so
#
# usage: scenario_lanes FILE...   (returns 0 when every scenario passed)

LANE_ALONE='depot_mirror|mk/run\.sh|project-depot'

# lane_one N FILE: runs scenario N and writes its TAP lines into
# $lane_tmp/N.tap.
lane_one() {
  name=$(basename "$2" .scenario)
  tap=$lane_tmp/$1.tap
  if [ -n "${LANE_MISSING:-}" ]; then
    echo "not ok $1 - $name # $LANE_MISSING" >"$tap"; return
  fi
  if [ -n "${LANE_BUDGET:-}" ] &&
     [ $(( $(date +%s) - lane_start )) -ge "$LANE_BUDGET" ]; then
    echo "not ok $1 - $name # the suite's budget of $LANE_BUDGET s is spent" >"$tap"
    return
  fi
  started=$(date +%s)
  out=$(timeout --kill-after=5 "${LANE_LIMIT:-120}" sh "$2" 2>&1)
  status=$?
  took=$(( $(date +%s) - started ))
  {
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^\([^#]\)/# \1/'
    if [ "$status" -eq 0 ]; then
      echo "ok $1 - $name (${took} s)"
    else
      [ "$status" = "${LANE_NOT_HERE:-}" ] &&
        echo "# marked to run here, but it says it is not on this platform"
      echo "not ok $1 - $name (exit $status, ${took} s)"
    fi
  } >"$tap"
}

# lane: takes the next scenario nobody has taken (mkdir is atomic) until
# none is left.
lane() {
  i=0
  for s in "$@"; do
    i=$((i + 1))
    [ -e "$lane_tmp/$i.tap" ] && continue   # ran alone before
    mkdir "$lane_tmp/$i.taken" 2>/dev/null || continue
    lane_one "$i" "$s"
  done
}

scenario_lanes() {
  lane_tmp=$(mktemp -d "${TMPDIR:-/tmp}/scenario-lanes-XXXXXX") || return 1
  lane_start=$(date +%s)
  echo "1..$#"
  i=0
  for s in "$@"; do
    i=$((i + 1))
    grep -qE "$LANE_ALONE" "$s" && lane_one "$i" "$s"
  done
  j=0
  while [ "$j" -lt "${SCENARIO_JOBS:-1}" ]; do
    lane "$@" &
    j=$((j + 1))
  done
  wait
  i=0 failed=0
  for s in "$@"; do
    i=$((i + 1))
    [ -f "$lane_tmp/$i.tap" ] ||
      echo "not ok $i - $(basename "$s" .scenario) # its lane died" >"$lane_tmp/$i.tap"
    cat "$lane_tmp/$i.tap"
    grep -q '^not ok ' "$lane_tmp/$i.tap" && failed=$((failed + 1))
  done
  rm -rf "$lane_tmp"
  [ "$failed" -eq 0 ]
}
