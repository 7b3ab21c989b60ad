#!/bin/sh
# `make run-riscv-depot`: a riscv64 system booted from the project's depot
# alone, as `make run` boots a linux target (issue 15 item 3):
#
#   1. mk/project-depot.sh --arch riscv64 publishes every archive, the
#      riscv64 bin archives and the kernel archive among them, into
#      build/depot-tree (a second run reuses what is current);
#   2. a private nginx on 127.0.0.1 serves it (tests/lib/nginx.sh);
#   3. a fresh depot (build/run-riscv/depot) trusts the tree's root and
#      `depot download --arch riscv64` installs the pkg (default
#      project/pkg/riscv_counter_demo) with its whole closure;
#   4. tests/riscv/depot-boot.sh assembles the boot image from those
#      extracted archives only and boots it under QEMU; the script exits
#      with the kernel's status. The default pkg boots core, init and the
#      counter demo, whose servers keep serving: it runs until --timeout
#      (default 60 s) ends QEMU with 124, which make reports as an error.
#      Core's control channel reads the fifo build/run-riscv/control
#      (tests/riscv/push-rom NAME FILE >build/run-riscv/control).
#
# usage: sh mk/run-riscv-depot.sh [--pkg USER/pkg/NAME] [--root NAME]
#          [--timeout S] [mk/project-depot.sh's options, e.g. --bump-in-copy]
# RUN_RISCV_WORK names another directory than build/run-riscv.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
bin=${BUILD_RELEASE:-$top/build/release}/bin
work=${RUN_RISCV_WORK:-$top/build/run-riscv}
case $work in /*) ;; *) work=$PWD/$work ;; esac
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
cd "$top"
pkg=project/pkg/riscv_counter_demo
boot_flags="" tree_flags=""
while [ $# -gt 0 ]; do
  case $1 in
    --pkg) [ $# -ge 2 ] || exit 2; pkg=$2; shift 2 ;;
    --root|--timeout) [ $# -ge 2 ] || exit 2; boot_flags="$boot_flags $1 $2"; shift 2 ;;
    *) tree_flags="$tree_flags $1"; shift ;;
  esac
done

say() { echo "[run-riscv] $*"; }
die() { echo "[run-riscv] failed: $*" >&2; exit 1; }
depot() { say "\$ depot $*"; "$bin/depot" "$@"; }

# ---- 1. the depot tree, with the riscv64 archives -------------------------
rm -rf "$work"
mkdir -p "$work/serve"
# shellcheck disable=SC2086 # options without spaces
sh mk/project-depot.sh --arch riscv64 $tree_flags | tee "$work/depot-tree.log"
[ "$(tail -n 1 "$work/depot-tree.log" | cut -d' ' -f2)" = "done" ] ||
  die "the depot tree was not made"
tree=$top/build/depot-tree

# ---- 2. served --------------------------------------------------------------
command -v nginx > /dev/null || die "nginx is not installed (make deps)"
chmod 755 "$work" "$work/serve"
nginx_dir=$work/serve
. "$top/tests/lib/nginx.sh"
trap 'nginx_stop || :' EXIT
trap 'exit 1' INT TERM
nginx_setup 9 || die "nginx does not start (log $work/serve/error.log)"
ln -s "$tree" "$nginx_dir/www/repo"
mirror=$(nginx_http)/repo
say "serving $tree at $mirror"

# ---- 3. a fresh depot, the pkg downloaded -----------------------------------
depot --depot "$work/depot" trust import "$tree/metadata/1.root.json" > /dev/null
depot --depot "$work/depot" download --arch riscv64 --mirror "$mirror" "$pkg"
nginx_stop || :

# ---- 4. the boot image from the extracted archives, booted -------------------
say "\$ sh tests/riscv/depot-boot.sh --depot $work/depot --pkg $pkg --control $work/control$boot_flags"
# shellcheck disable=SC2086 # options without spaces
exec sh tests/riscv/depot-boot.sh --depot "$work/depot" --pkg "$pkg" \
  --control "$work/control" $boot_flags
