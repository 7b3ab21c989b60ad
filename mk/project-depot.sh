#!/bin/sh
# `make depot-tree`: turns the repository into a published depot tree, the
# thing a mirror serves and a target downloads from (README.md, "Boot a
# target from a depot"). As user `project`:
#
#   1. `depot create` every recipe's archive (recipes/README.md);
#   2. `depot build` every src archive that has a build description, so
#      that every program the project ships is a bin archive (builds run
#      JOBS at a time, each with one make job: a build compiles its own
#      libruntime in its own scratch tree, so two builds side by side use
#      two cores better than one build with make -j2);
#   3. `depot keygen` the keys root, targets, snapshot, timestamp and
#      project if they are absent;
#   4. `depot publish` every archive into the tree.
#
# usage: sh mk/project-depot.sh [options]
#   --tree DIR      the published tree (default build/depot-tree)
#   --keys DIR      the signing keys (default build/depot-keys; never in
#                   the source tree: the private keys are secrets)
#   --work DIR      the depot the archives are made in, and the stamps that
#                   let a second run reuse it (default build/project-depot)
#   --jobs N        builds side by side (default 2)
#   --arch ARCH     also build the bin archives of ARCH (a cross build),
#                   from every src archive with a description build.ARCH
#                   (riscv64: recipes/README.md); may be repeated
#   --bump-in-copy  for a branch whose recipes are not bumped yet (the lead
#                   bumps after merging; HOUSE rules): bump a copy of
#                   recipes/ in the work directory (versions of today) and
#                   point the pkgs' archives lists at those versions; the
#                   source tree is not touched. Without it, a recipe whose
#                   content changed is refused, naming `depot bump`.
#   --quiet         no progress lines
#
# A second run reuses what is current: when the created archives are
# bit-identical to those of the last run (a stamp of their sha256), the
# built bin archives and the published tree stay, so an unchanged tree
# costs about a second. When any archive changed, the work depot is made
# anew, keeping the bin archives whose inputs (src archive and the
# archives its build uses) are bit-identical; the default tree is made anew
# too (a build product: its root keys stay, its
# metadata versions begin at 1 again, so a client depot that trusted an
# earlier one must `depot trust import` again). A tree given with --tree
# is never removed: publish adds to it, and refuses a version whose
# content changed, as it must for a tree people download from.
#
# Uses the depot tool of the release build ($BUILD_RELEASE/bin/depot);
# `make depot-tree` builds it first. Prints the tree, its root metadata
# and the pkgs' versions at the end.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
DEPOT=${BUILD_RELEASE:-$top/build/release}/bin/depot
user=project
tree=$top/build/depot-tree
default_tree=yes
keys=$top/build/depot-keys
work=$top/build/project-depot
jobs=2
bump_in_copy=no
quiet=no
cross=""

usage() { sed -n 's/^# \{0,1\}//; /^usage:/,/^$/p' "$0" | sed '$d' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --tree) [ $# -ge 2 ] || usage; tree=$2; default_tree=no; shift 2 ;;
    --keys) [ $# -ge 2 ] || usage; keys=$2; shift 2 ;;
    --work) [ $# -ge 2 ] || usage; work=$2; shift 2 ;;
    --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
    --arch) [ $# -ge 2 ] || usage; cross="$cross $2"; shift 2 ;;
    --bump-in-copy) bump_in_copy=yes; shift ;;
    --quiet) quiet=yes; shift ;;
    *) usage ;;
  esac
done
case $jobs in ''|*[!0-9]*|0) echo "project-depot: --jobs takes a number from 1" >&2; exit 2 ;; esac
[ -x "$DEPOT" ] || { echo "project-depot: no $DEPOT (run make first)" >&2; exit 1; }

say() { [ "$quiet" = yes ] || echo "[depot-tree] $*"; }
die() { echo "project-depot: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
begin=$(now)
arch=$(uname -m)
arches="$arch$cross"
# description NAME ARCH: the build description of src/NAME for ARCH.
description() {
  if [ "$2" = "$arch" ]; then echo "$recipes/src/$1/build"; else echo "$recipes/src/$1/build.$2"; fi
}
mkdir -p "$work"
work=$(cd "$work" && pwd -P)

# ---- 1. the recipes, bumped in a copy if asked --------------------------

recipes=$top/recipes
all=$(cd recipes && ls -d */* | sort)
if [ "$bump_in_copy" = yes ]; then
  recipes=$work/recipes
  rm -rf "$recipes" && cp -r "$top/recipes" "$recipes"
  # shellcheck disable=SC2046 # recipe names hold no spaces
  bumped=$("$DEPOT" --recipes "$recipes" bump $(echo "$all" | grep -v '^pkg/')) ||
    die "cannot bump the copy of the recipes"
  # Each pkg lists the versions just recorded, then is bumped itself.
  echo "$bumped" | while read -r r v; do
    kind=${r%%/*} name=${r#*/}
    for list in "$recipes"/pkg/*/archives; do
      sed -i "s|^$user/$kind/$name/[^[:space:]]*\$|$user/$kind/$name/$v|" "$list"
    done
  done
  # shellcheck disable=SC2046 # recipe names hold no spaces
  "$DEPOT" --recipes "$recipes" bump $(echo "$all" | grep '^pkg/') > /dev/null ||
    die "cannot bump the pkgs of the copy of the recipes"
fi

# ---- 2. create every archive; reuse the last run's work if identical ----

# uses_of NAME ARCH: the archives the build description of src/NAME for
# ARCH uses, kind/name each ("bin/X" for `use bin/X DIR`).
uses_of() { sed -n 's/^use \([^[:space:]]*\).*/\1/p' "$(description "$1" "$2")"; }
# inputs_of NAME STAMP ARCH: the lines of STAMP for src/NAME and the
# archives its build description for ARCH uses, which decide its bin
# archive; a bin archive it uses (of ARCH) stands for the inputs of that
# one's build.
inputs_of() {
  for a in "src/$1" $(uses_of "$1" "$3"); do
    case $a in
      bin/*) inputs_of "${a#bin/}" "$2" "$3" ;;
      *) grep " \./$user/$a/" "$2" ;;
    esac
  done
}

t=$(now)
rm -rf "$work/new"
# shellcheck disable=SC2086
"$DEPOT" --depot "$work/new" --recipes "$recipes" create "$user" $all \
  > "$work/create.log" 2>&1 || {
    grep -v "^$work/new/" "$work/create.log" >&2; rm -rf "$work/new"
    die "depot create failed (on a branch whose recipes wait for their bump: --bump-in-copy)"; }
(cd "$work/new" && find . -name '*.tar.zst' | sort | xargs sha256sum) > "$work/new.stamp"
if [ -f "$work/stamp" ] && [ -d "$work/depot" ] && cmp -s "$work/new.stamp" "$work/stamp"; then
  rm -rf "$work/new" "$work/new.stamp"
  say "created $(echo "$all" | wc -l) archives in $(since "$t") s: unchanged since the last run"
else
  # A bin archive whose inputs (its src archive and the archives its
  # build description uses) are bit-identical is carried over.
  # Every arch the last run built is looked at, not only those of this
  # run, so a run without --arch does not throw away the others.
  kept=""
  for a in $(ls "$work/depot/$user/bin" 2>/dev/null); do
    [ -f "$work/stamp" ] && [ -d "$work/depot/$user/bin/$a" ] || continue
    for d in "$work/depot/$user/bin/$a"/*/; do
      name=$(basename "$d")
      [ -f "$(description "$name" "$a")" ] &&
      [ "$(inputs_of "$name" "$work/stamp" "$a")" = "$(inputs_of "$name" "$work/new.stamp" "$a")" ] ||
        continue
      mkdir -p "$work/new/$user/bin/$a" && cp -a "$d" "$work/new/$user/bin/$a/" &&
        kept="$kept $a/$name"
    done
  done
  [ -z "$kept" ] || say "bin archives whose inputs did not change, kept:$kept"
  rm -rf "$work/depot" "$work/published"
  [ "$default_tree" = yes ] && rm -rf "$tree"
  mv "$work/new" "$work/depot" && mv "$work/new.stamp" "$work/stamp"
  say "created $(echo "$all" | wc -l) archives in $(since "$t") s"
fi
depot=$work/depot

# ---- 3. build every bin archive that is not built yet ------------------

# Each build as ARCH/NAME: the host's from "build", others from "build.ARCH".
# A build that uses a bin archive (`use bin/X DIR`: riscv64's OpenSSL) waits
# for the first wave, in which the bin archives used are built first, so
# that the longest build (OpenSSL: 133 s with one job on an idle host,
# up to 300 s loaded) runs beside the
# others instead of after them.
first="" used="" second=""
for a in $arches; do
  for name in $(cd "$recipes/src" && ls); do
    [ -f "$(description "$name" "$a")" ] || continue
    used="$used $(uses_of "$name" "$a" | sed -n "s|^bin/|$a/|p" | tr '\n' ' ')"
  done
done
for a in $arches; do
  for name in $(cd "$recipes/src" && ls); do
    [ -f "$(description "$name" "$a")" ] || continue
    version=$(cut -d' ' -f1 "$recipes/src/$name/hash")
    [ -f "$depot/$user/bin/$a/$name/$version.tar.zst" ] && continue
    if uses_of "$name" "$a" | grep -q '^bin/'; then second="$second $a/$name"
    else case " $used " in
      *" $a/$name "*) first="$a/$name $first" ;;
      *) first="$first $a/$name" ;;
    esac; fi
  done
done
todo="$first $second"
count=$(echo "$todo" | wc -w)
# build_wave BUILDS: the builds ARCH/NAME, $jobs at a time.
build_wave() {
  [ -n "$(echo "$1" | tr -d ' ')" ] || return 0
  # One line per finished build, with its time; a failed build shows its
  # log (the whole make output) and fails the run.
  export DEPOT depot user quiet
  # shellcheck disable=SC2016,SC2086
  printf '%s\n' $1 | xargs -P "$jobs" -I{} sh -c '
    t=$(date +%s.%N) a=${1%%/*} name=${1#*/} log=$depot/build-$a-${1#*/}.log
    if "$DEPOT" --depot "$depot" build --jobs 1 --arch "$a" "$user" "src/$name" \
         > "$log" 2>&1; then
      [ "$quiet" = yes ] || awk -v a="$t" -v b="$(date +%s.%N)" \
        "BEGIN { printf \"[depot-tree]   built $1 in %.1f s\n\", b - a }"
    else
      tail -n 30 "$log" >&2
      echo "project-depot: depot build of src/$name for $a failed (log $log)" >&2
      exit 255
    fi' sh {} || die "a build failed"
}
if [ "$count" -gt 0 ]; then
  t=$(now)
  say "building $count bin archives, $jobs at a time:$todo"
  build_wave "$first"
  build_wave "$second"
  say "built $count bin archives in $(since "$t") s"
fi

# ---- 4. keys, then publish --------------------------------------------

mkdir -p "$keys"
for role in root targets snapshot timestamp "$user"; do
  if [ ! -f "$keys/$role.key" ]; then
    "$DEPOT" keygen "$keys/$role" > /dev/null || die "cannot make key $keys/$role"
    say "made key $keys/$role"
  fi
done
# A pkg whose src archives do not all build for an arch of this run
# (riscv_counter_demo without --arch riscv64) would be refused as
# incomplete: it is left out, and the rest published.
left_out=""
for list in "$recipes"/pkg/*/archives; do
  for src in $(sed -n "s|^$user/src/\([^/]*\)/.*|\1|p" "$list"); do
    built=no
    for a in $arches; do [ -f "$(description "$src" "$a")" ] && built=yes; done
    if [ "$built" = no ]; then
      p=$(basename "$(dirname "$list")")
      left_out="$left_out $p"
      say "pkg $p left out: src/$src builds for none of: $arches (add --arch)"
      break
    fi
  done
done
published=$( (cat "$work/stamp"; "$DEPOT" --depot "$depot" list; echo "$tree") | sha256sum)
if [ -d "$tree" ] && [ -f "$work/published" ] &&
   [ "$(cat "$work/published")" = "$published" ]; then
  say "tree $tree is current"
else
  t=$(now)
  # every archive file 'depot create' and 'depot build' made (what publish
  # takes when none is named), as user/kind/name/version
  archives=$(cd "$depot" && find . -name '*.tar.zst' | sed 's|^\./||; s|\.tar\.zst$||' | sort)
  for p in $left_out; do
    archives=$(echo "$archives" | grep -v "^$user/pkg/$p/")
  done
  # shellcheck disable=SC2086 # archive names hold no spaces
  "$DEPOT" --depot "$depot" publish --keys "$keys" "$tree" $archives > "$work/publish.log" 2>&1 ||
    { cat "$work/publish.log" >&2; die "depot publish failed"; }
  echo "$published" > "$work/published"
  say "published into $tree in $(since "$t") s"
fi

say "tree:   $tree (root metadata $tree/metadata/1.root.json)"
for p in $(echo "$all" | grep '^pkg/'); do
  case " $left_out " in *" ${p#pkg/} "*) continue ;; esac
  say "$user/$p/$(cut -d' ' -f1 "$recipes/$p/hash")"
done
say "done in $(since "$begin") s"
