#!/bin/sh
# The pkg bench of `make bench` (tests/bench/run calls it): prepares a
# target booted from a depot and runs build/release/bench-data/pkg-bench
# on it (tests/bench/pkg_bench.c says what it measures: a pkg child's
# start against fork+exec, and the memory of N children of one pkg against
# one).
#
# The archives are the project's own, as mk/project-depot.sh makes them
# (made or reused; the first run builds every bin archive, minutes), plus
# two pkgs made here for the bench: bench_hello (hello, whose runtime
# config makes it log one line and exit) and bench_timer (timer, which
# stays running). The target's depot is filled with `depot extract`
# (installing, not downloading, is not what is measured); it holds only
# pkg/base, those two pkgs and their bin archives; boot/ holds only hello,
# for the binary child that the pkg child is compared with.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_RELEASE=${BUILD_RELEASE:-$top/build/release}
DEPOT=$BUILD_RELEASE/bin/depot
work=$top/build/project-depot/depot
arch=$(uname -m)
user=project

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pkg-bench-XXXXXX")
trap '[ -n "${PKG_BENCH_KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
fail() { echo "pkg_bench: $*" >&2; exit 1; }

BUILD_RELEASE=$BUILD_RELEASE sh "$top/mk/project-depot.sh" \
  --quiet > "$tmp/tree.log" 2>&1 ||
  { cat "$tmp/tree.log" >&2; fail "mk/project-depot.sh failed"; }

# name KIND/NAME: the archive of the work depot of that kind and name
# (one version each: the work depot holds the current ones only)
name() {
  f=$(cd "$work" && ls "$user/$1/"*.tar.zst 2>/dev/null | tail -n 1)
  [ -n "$f" ] && echo "${f%.tar.zst}"
}
base=$(name pkg/base) && core=$(name "bin/$arch/core") &&
init=$(name "bin/$arch/init") && hello=$(name "bin/$arch/hello") &&
timer=$(name "bin/$arch/timer") || fail "the work depot lacks archives"

# The bench's pkgs, as recipes of their own.
r=$tmp/recipes/pkg
mkdir -p "$r/bench_hello" "$r/bench_timer"
echo "the pkg bench's hello: logs one line, exits" > "$r/bench_hello/README"
echo "$user/src/hello/${hello##*/}" > "$r/bench_hello/archives"
echo '{"binary": "hello", "ram": "2M", "caps": 100, "config": {"greeting": "bench"}}' \
  > "$r/bench_hello/runtime"
echo "the pkg bench's timer: stays running" > "$r/bench_timer/README"
echo "$user/src/timer/${timer##*/}" > "$r/bench_timer/archives"
echo '{"binary": "timer", "ram": "10M", "caps": 100, "provides": ["Timer"]}' \
  > "$r/bench_timer/runtime"
"$DEPOT" --recipes "$tmp/recipes" bump pkg/bench_hello pkg/bench_timer \
  > /dev/null &&
"$DEPOT" --depot "$tmp/made" --recipes "$tmp/recipes" create "$user" \
  pkg/bench_hello pkg/bench_timer > /dev/null || fail "cannot make the bench pkgs"
bench_hello=$user/pkg/bench_hello/$(cut -d' ' -f1 "$r/bench_hello/hash")
bench_timer=$user/pkg/bench_timer/$(cut -d' ' -f1 "$r/bench_timer/hash")

T=$tmp/target
mkdir -p "$T/config"
for a in "$base" "$core" "$init" "$hello" "$timer"; do
  "$DEPOT" --depot "$T/depot" extract "$work/$a.tar.zst" "$a" > /dev/null ||
    fail "cannot install $a"
done
for a in "$bench_hello" "$bench_timer"; do
  "$DEPOT" --depot "$T/depot" extract "$tmp/made/$a.tar.zst" "$a" > /dev/null ||
    fail "cannot install $a"
done

# boot/hello: the same binary as a boot module, for the binary child the
# pkg child is compared with (init and core still come from the depot)
mkdir -p "$T/boot" && cp "$T/depot/$hello/hello" "$T/boot/hello" ||
  fail "cannot make boot/hello"

"$BUILD_RELEASE/bench-data/pkg-bench" "$(cd "$T" && pwd -P)" \
  "$T/depot/$core/core" "$base" "$bench_hello" "$bench_timer" \
  "$T/depot/$hello/hello"
