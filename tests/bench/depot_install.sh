#!/bin/sh
# Install bench of `make bench` (tests/bench/run calls it): how long the
# depot tool takes to install a pkg closure of ARCHIVES raw archives (of
# random, incompressible data, MIB_PER_ARCHIVE MiB each, so that the bytes
# are real) from nginx on 127.0.0.1, as a ratio to the plain baseline
# measured in the same run on the same files: a sequential
# curl + sha256sum + tar -x of each archive. Both start from an empty
# destination; each is run ROUNDS times, alternating, and the best time
# counts. Rows for one core (taskset -c 0) and for every core.
#
# The install is the real, signed one: the closure is published with
# `depot keygen` + `depot publish` into a tree nginx serves, a fresh
# client depot trusts its root (`depot trust import`, not timed), and
# `depot download user/pkg/closure/version` is timed: TUF refresh and
# verification of the metadata, then the streamed install of the whole
# closure. The baseline downloads the same archive files from the
# published tree's targets/, checking each against its SHA-256 (which
# this script computes beforehand).
#
# DEPOT_BEFORE=<path of another depot binary> adds its column, to compare
# two versions of the tool (e.g. before and after a change) in one run.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
DEPOT=${BUILD_RELEASE:-$top/build/release}/bin/depot
ARCHIVES=${ARCHIVES:-56}
MIB_PER_ARCHIVE=${MIB_PER_ARCHIVE:-1}
ROUNDS=${ROUNDS:-3}
user=bench

tmp=$(mktemp -d "${TMPDIR:-/tmp}/depot-bench-XXXXXX")
chmod 755 "$tmp"
cleanup() {
  nginx_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "depot_install: $*" >&2; exit 1; }

# ---- the closure: ARCHIVES raw archives and a pkg listing them ------------

make_closure() {
  repo=$tmp/repo
  version=$(date -u +%Y-%m-%d)
  mkdir -p "$repo/recipes/pkg/closure"
  : > "$repo/recipes/pkg/closure/archives"
  i=0
  while [ $i -lt "$ARCHIVES" ]; do
    mkdir -p "$repo/data/r$i" "$repo/recipes/raw/r$i"
    # Four files per archive, so that extraction writes several files.
    for part in 0 1 2 3; do
      head -c $((MIB_PER_ARCHIVE * 262144)) /dev/urandom > "$repo/data/r$i/part$part"
    done
    echo "data/r$i" > "$repo/recipes/raw/r$i/content"
    echo "$user/raw/r$i/$version" >> "$repo/recipes/pkg/closure/archives"
    i=$((i + 1))
  done
  echo "the install bench's closure" > "$repo/recipes/pkg/closure/README"
  echo '{"binary": "none", "ram": "1M", "caps": 1}' > "$repo/recipes/pkg/closure/runtime"
  recipes=$(cd "$repo/recipes" && ls -d raw/* pkg/*)
  # shellcheck disable=SC2086
  "$DEPOT" --recipes "$repo/recipes" --root "$repo" bump $recipes > /dev/null &&
  "$DEPOT" --depot "$tmp/built" --recipes "$repo/recipes" --root "$repo" \
    create "$user" $recipes > /dev/null || fail "cannot create the closure"
}

# Publishes the closure with fresh keys into nginx's root ($tree) and
# writes the baseline's list of the archive files below targets/ (pkg
# first, then the raws: the depot's order) with their SHA-256.
publish_closure() {
  keys=$tmp/keys
  tree=$tmp/www/repo
  mkdir -p "$tmp/www" || return 1
  for role in root targets snapshot timestamp "$user"; do
    "$DEPOT" keygen "$keys/$role" > /dev/null || return 1
  done
  "$DEPOT" --depot "$tmp/built" publish --keys "$keys" "$tree" > /dev/null ||
    return 1
  : > "$tmp/list"
  for f in "$tree/targets/$user/pkg/closure/$version.tar.zst" \
           "$tree/targets/$user"/raw/*/"$version.tar.zst"; do
    rel=${f#"$tmp/www/"}
    echo "$rel $(sha256sum "$f" | cut -d' ' -f1)" >> "$tmp/list" || return 1
  done
}

# ---- nginx (tests/lib/nginx.sh) ---------------------------------------------

nginx_dir=$tmp
NGINX_ACCESS_LOG=off
. "$top/tests/lib/nginx.sh"

# ---- the two contenders ------------------------------------------------------

baseline() {
  dest=$tmp/baseline
  rm -rf "$dest" && mkdir -p "$dest/dl"
  while read -r rel sum; do
    f=$dest/dl/$(echo "$rel" | tr / _)
    curl -sf -o "$f" "http://127.0.0.1:$port/$rel" || return 1
    echo "$sum  $f" | sha256sum -c --quiet - || return 1
    mkdir -p "$dest/$rel.d" && tar -C "$dest/$rel.d" -xf "$f" || return 1
  done < "$tmp/list"
}

# fresh_client DEPOT_BINARY: an empty client depot that trusts the
# published root; done before each timed install, outside its time.
fresh_client() {
  rm -rf "$tmp/depot"
  "$1" --depot "$tmp/depot" trust import "$tree/metadata/1.root.json" \
    > /dev/null || fail "$1: trust import failed"
}

install_with() {
  "$1" --depot "$tmp/depot" download --mirror "http://127.0.0.1:$port/repo" \
    "$user/pkg/closure/$version" > /dev/null &&
  [ "$("$1" --depot "$tmp/depot" list | wc -l)" -eq "$count" ]
}
depot_install() { install_with "$DEPOT"; }
depot_before() { install_with "$DEPOT_BEFORE"; }

now() { date +%s.%N; }

# seconds FUNCTION: runs it, prints the seconds it took.
seconds() {
  start=$(now)
  "$1" || fail "$1 failed"
  awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
min() { printf '%s\n' "$@" | sort -g | head -n 1; }

# measure CPUS LABEL: one row of the table; this shell (and so everything
# it starts) runs on CPUS meanwhile.
measure() {
  taskset -pc "$1" $$ > /dev/null || fail "taskset $1"
  b_all="" d_all="" p_all=""
  r=0
  while [ $r -lt "$ROUNDS" ]; do
    b_all="$b_all $(seconds baseline)"
    fresh_client "$DEPOT"
    d_all="$d_all $(seconds depot_install)"
    [ -n "${DEPOT_BEFORE:-}" ] && fresh_client "$DEPOT_BEFORE" &&
      p_all="$p_all $(seconds depot_before)"
    r=$((r + 1))
  done
  taskset -pc "$all_cpus" $$ > /dev/null
  # shellcheck disable=SC2086
  b=$(min $b_all)
  # shellcheck disable=SC2086
  d=$(min $d_all)
  printf '%-10s %14.3f %14.3f %8.2f' "$2" "$b" "$d" "$(ratio "$d" "$b")"
  # shellcheck disable=SC2086
  [ -n "${DEPOT_BEFORE:-}" ] && p=$(min $p_all) &&
    printf ' %14.3f %8.2f' "$p" "$(ratio "$p" "$b")"
  echo
}

command -v nginx > /dev/null || fail "needs nginx"
make_closure
publish_closure || fail "cannot publish the closure"
count=$(wc -l < "$tmp/list")
nginx_setup 13 || fail "nginx did not start"
port=$http_port
all_cpus=0-$(( $(nproc) - 1 ))

mib=$(( $(cd "$tmp/www" && cut -d' ' -f1 "$tmp/list" | xargs cat | wc -c) / 1048576 ))
echo "signed install of a pkg closure: $count archives, $mib MiB, from nginx on 127.0.0.1"
echo "depot: depot download (TUF refresh + verification + streamed install)"
echo "baseline: sequential curl + sha256sum + tar -x per archive; best of $ROUNDS"
printf '%-10s %14s %14s %8s' cores "baseline (s)" "depot (s)" ratio
[ -n "${DEPOT_BEFORE:-}" ] && printf ' %14s %8s' "before (s)" ratio
echo
measure 0 "1 (cpu 0)"
measure "$all_cpus" "all ($(nproc))"
