#!/bin/sh
# `make run`: the project as a user meets it. The Makefile has built the
# release variant; this script
#
#   1. publishes every archive of the project into the depot tree
#      build/depot-tree, signed with keys generated in build/depot-keys
#      (mk/project-depot.sh, with its progress lines; a second run reuses
#      what is current);
#   2. serves a copy of that tree (build/run/serve/www/repo) with a private
#      nginx on 127.0.0.1 (tests/lib/nginx.sh, the one the tests use):
#      libdepot fetches over http and https only, and a copy keeps the
#      tour's extra pkg version out of the project's tree;
#   3. makes a fresh target (build/run-target, or $RUN_TARGET), trusts the
#      depot user `project` there and boots it with `sculpt boot`: core and
#      init come from the depot's archives; with --platform qemu-riscv64
#      (`make run PLATFORM=qemu-riscv64`) the tree holds the riscv64 bin
#      archives too, and the target is a riscv64 machine under QEMU booted
#      from project/pkg/riscv_base (the kernel, core, init): every step
#      below is the same, sculpt pushing what it installs and applies to
#      the running machine, and core is stopped by ending QEMU;
#   4. on a terminal, runs sculpt's interactive mode on the target; when
#      sculpt ends (`quit`), nginx is stopped and core keeps running, until
#      `kill $(cat TARGET/sculpt/core.pid)`;
#      without a terminal (stdin not a tty, or RUN_INTERACTIVE=0), the tour:
#      install project/pkg/hello, add and apply it; publish a newer hello
#      (a copy of its recipe with another greeting, bumped in
#      build/run/recipes) into the served tree and `sculpt update` to it
#      live; status, graph, log; remove it and apply; stop core; exit 0.
#      Any failing step ends the tour with 1, core stopped.
#
# Each step prints the command a user would type ("[run] $ sculpt ...",
# paths relative to the top of the repository when they are below it).
# usage: sh mk/run.sh [--platform qemu-riscv64]
#                     [mk/project-depot.sh's options, e.g. --bump-in-copy]
# RUN_INTERACTIVE=1 forces the interactive form; RUN_WORK names another
# directory than build/run for the served copy and the tour's recipes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
bin=${BUILD_RELEASE:-$top/build/release}/bin
target=${RUN_TARGET:-$top/build/run-target}
work=${RUN_WORK:-$top/build/run}
# paths given relative to where make run was called
case $target in /*) ;; *) target=$PWD/$target ;; esac
case $work in /*) ;; *) work=$PWD/$work ;; esac
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
# the target's platform: the base pkg sculpt boots, and how
base=project/pkg/base boot_flags=""
if [ "${1:-}" = --platform ]; then
  [ $# -ge 2 ] || { echo "usage: sh mk/run.sh [--platform qemu-riscv64] [options]" >&2; exit 2; }
  case $2 in
    qemu-riscv64) base=project/pkg/riscv_base
                  boot_flags="--platform qemu-riscv64" ;;
    linux) ;;
    *) echo "run: unknown platform '$2' (known: linux, qemu-riscv64)" >&2; exit 2 ;;
  esac
  platform=$2; shift 2
  [ "$platform" = linux ] || set -- --arch riscv64 "$@"
fi
cd "$top"
tree=$top/build/depot-tree
keys=$top/build/depot-keys

if [ -z "${RUN_INTERACTIVE:-}" ]; then
  if [ -t 0 ]; then RUN_INTERACTIVE=1; else RUN_INTERACTIVE=0; fi
fi

say() { echo "[run] $*"; }
die() { echo "[run] failed: $*" >&2; exit 1; }
# shown PATH: PATH relative to the top when it is below it
shown() { case $1 in "$top"/*) echo "${1#"$top"/}" ;; *) echo "$1" ;; esac; }
# sculpt ARGS: prints the command, then runs it on the target
sculpt() {
  echo
  say "\$ sculpt --target $(shown "$target") $*"
  "$bin/sculpt" --target "$target" "$@"
}
# depot ARGS: the same for the depot tool
depot() {
  echo
  say "\$ depot $*"
  "$bin/depot" "$@"
}

# core_stop: SIGTERM to the core `sculpt boot` started, then wait (its
# components die with it)
core_stop() {
  pid=$(cat "$target/sculpt/core.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid" 2>/dev/null; return 1; }
  return 0
}

# ---- 1. the project's depot tree --------------------------------------
rm -rf "$work"
mkdir -p "$work/serve/www"
sh mk/project-depot.sh "$@" | tee "$work/depot-tree.log"
[ "$(tail -n 1 "$work/depot-tree.log" | cut -d' ' -f2)" = "done" ] ||
  die "the depot tree was not made"

# ---- 2. serve a copy of it ----------------------------------------------
chmod 755 "$work" "$work/serve" "$work/serve/www"
cp -r "$tree" "$work/serve/www/repo"
nginx_dir=$work/serve
. "$top/tests/lib/nginx.sh"
serve_stop() { nginx_stop || :; }
trap 'serve_stop' EXIT
trap 'exit 1' INT TERM
command -v nginx > /dev/null || die "nginx is not installed (make deps)"
nginx_setup 7 || die "nginx does not start (log $work/serve/error.log)"
mirror=$(nginx_http)/repo
say "serving a copy of $(shown "$tree") at $mirror (nginx, until the end of this script)"
say "sculpt and depot are in $(shown "$bin"); 'make install PREFIX=...' puts them on PATH"

# ---- 3. a target booted from the depot ----------------------------------
rm -rf "$target"
sculpt depot add project --mirror "$mirror" \
  --root "$(shown "$tree")/metadata/1.root.json"
if [ "$RUN_INTERACTIVE" = 0 ]; then trap 'core_stop; serve_stop' EXIT; fi
# shellcheck disable=SC2086 # the flags are words
sculpt boot $boot_flags "$base"

# ---- 4a. on a terminal: sculpt's interactive mode --------------------------
if [ "$RUN_INTERACTIVE" = 1 ]; then
  say "target $(shown "$target") runs; try: install project/pkg/hello,"
  say "add hello project/pkg/hello, apply, status, graph, help; quit ends sculpt"
  say "(the depot is served while sculpt runs; core keeps running after it)"
  "$bin/sculpt" -i --target "$target" || true
  serve_stop
  say "core still runs; stop it with: kill \$(cat $(shown "$target")/sculpt/core.pid)"
  exit 0
fi

# ---- 4b. without a terminal: the tour -----------------------------------
sculpt install project/pkg/hello
sculpt add hello project/pkg/hello
sculpt apply

# A newer hello, as its publisher would make it: another greeting in a
# copy of the recipe, bumped there, created and signed into the served
# tree (the root keys of build/depot-keys sign it).
# The recipe of the version in the tree: the source tree's, or with
# --bump-in-copy the bumped copy's.
hello=$(sed -n 's|^\[depot-tree\] project/pkg/hello/||p' "$work/depot-tree.log")
from=$top/recipes/pkg/hello
[ "$(cut -d' ' -f1 "$from/hash")" = "$hello" ] ||
  from=$top/build/project-depot/recipes/pkg/hello
[ "$(cut -d' ' -f1 "$from/hash")" = "$hello" ] ||
  die "no recipe of project/pkg/hello/$hello"
recipes=$work/recipes
mkdir -p "$recipes/pkg"
cp -r "$from" "$recipes/pkg/hello"
sed -i 's/"hello from a pkg"/"hello from a newer pkg"/' "$recipes/pkg/hello/runtime"
grep -q '"hello from a newer pkg"' "$recipes/pkg/hello/runtime" ||
  die "recipes/pkg/hello/runtime has no greeting 'hello from a pkg' to change"
echo
say "a newer hello: its greeting changed in a copy of the recipe, $(shown "$recipes")/pkg/hello/runtime"
depot --recipes "$(shown "$recipes")" bump pkg/hello
depot --depot "$(shown "$work")/depot" --recipes "$(shown "$recipes")" create project pkg/hello
depot --depot "$(shown "$work")/depot" publish --keys "$(shown "$keys")" \
  "$(shown "$work")/serve/www/repo"

sculpt update hello
sculpt status
sculpt graph
sculpt log hello
sculpt remove hello
sculpt apply
sculpt status

echo
say "\$ kill \$(cat $(shown "$target")/sculpt/core.pid)"
core_stop || die "core did not stop on SIGTERM"
trap 'serve_stop' EXIT
say "the tour is done: core stopped, the target stays in $(shown "$target")"
