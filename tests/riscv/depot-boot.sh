#!/bin/sh
# Boots a riscv64 system from a depot's extracted archives only (issue 15
# item 3): the kernel from the kernel archive, the root and the other boot
# modules from riscv64 bin archives, all of them archives the pkg lists
# and `depot download --arch riscv64` installed. The pkg describes the
# system:
#
#   its archives list   project/src/NAME/V stands for the bin archive
#                       DEPOT/project/bin/riscv64/NAME/V/, whose file NAME
#                       is the program (the kernel archive's is kernel.elf)
#   its runtime file    "binary": the root, boot module 0 (core itself)
#   project/raw/NAME/V  each file of the installed raw archive is a boot
#                       module of that name (init.config, which core gives
#                       init as its "config" ROM)
#
# The boot modules after the root are the pkg's other bin archives in the
# order the list names them (init, then the components), or the names
# given as operands; then the files of the pkg's raw archives. --root
# selects another root; its modules then come from the operands or the
# list as before.
#
# The archives are verified against their manifests first (`depot
# verify`); the image is made with riscv-bootimage, and QEMU's `virt`
# machine boots it with -icount shift=0,sleep=off under `timeout -k`.
# With --control FIFO core's control channel is there: a virtio console
# whose input is FIFO (made if missing; tests/riscv/qemu-control.sh), into
# which a host writes frames (tests/riscv/push-rom NAME FILE >FIFO).
# Exits with the kernel's status (kernel/riscv/finisher.h), 124 when the
# time ran out, 2 on a usage error, 1 when the depot lacks something.
#
# usage: sh tests/riscv/depot-boot.sh --depot DIR --pkg USER/pkg/NAME[/V]
#          [--root NAME] [--kernel NAME] [--image FILE] [--timeout S]
#          [--control FIFO] [MODULE...]
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${BUILD_RELEASE:-$top/build/release}/bin
bios=${OPENSBI:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
module_addr=0x87000000   # MODULE_BASE, kernel/riscv/arch.h
arch=riscv64
depot="" pkg="" root="" kernel=kernel_riscv image="" timeout_s=60 control=""
# rv_control_args FIFO: QEMU's arguments for the control channel
. "$top/tests/riscv/qemu-control.sh"

usage() { sed -n 's/^# \{0,1\}//; /^usage:/,/^$/p' "$0" | sed '$d' >&2; exit 2; }
die() { echo "depot-boot: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case $1 in
    --depot) [ $# -ge 2 ] || usage; depot=$2; shift 2 ;;
    --pkg) [ $# -ge 2 ] || usage; pkg=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || usage; root=$2; shift 2 ;;
    --kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
    --image) [ $# -ge 2 ] || usage; image=$2; shift 2 ;;
    --timeout) [ $# -ge 2 ] || usage; timeout_s=$2; shift 2 ;;
    --control) [ $# -ge 2 ] || usage; control=$2; shift 2 ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ -n "$depot" ] && [ -n "$pkg" ] || usage
case $timeout_s in ''|*[!0-9]*|0) usage ;; esac
for n in "$root" "$kernel" "$@"; do
  case $n in *[!A-Za-z0-9._-]*|.*) die "'$n' is not an archive name" ;; esac
done
command -v qemu-system-riscv64 > /dev/null || die "qemu-system-riscv64 is not installed (make deps)"
[ -f "$bios" ] || die "no OpenSBI firmware $bios (make deps)"
[ -x "$bin/riscv-bootimage" ] || die "no $bin/riscv-bootimage (make)"

# The pkg: USER/pkg/NAME/V, or the newest version installed.
user=${pkg%%/*}
case $pkg in
  */pkg/*/*) ;;
  */pkg/*) v=$(cd "$depot/$pkg" 2>/dev/null && ls -d -- */ | tr -d / | grep -v '^\.' | sort -V | tail -n 1)
           [ -n "$v" ] || die "$pkg is not installed in $depot"
           pkg=$pkg/$v ;;
  *) usage ;;
esac
dir=$depot/$pkg
[ -f "$dir/archives" ] && [ -f "$dir/runtime" ] ||
  die "$pkg is not installed in $depot (depot download --arch $arch $pkg)"
"$bin/depot" --depot "$depot" verify "$pkg" > /dev/null ||
  die "$pkg does not match its manifest (depot verify $pkg)"

# The bin archives the pkg lists, NAME VERSION a line, in its order.
listed=$(sed -n "s|^$user/src/\([^/[:space:]]*\)/\([^/[:space:]]*\)[[:space:]]*\$|\1 \2|p" "$dir/archives")
# file_of NAME FILE: the file of bin archive NAME, which must be listed,
# installed and intact.
file_of() {
  v=$(echo "$listed" | awk -v n="$1" '$1 == n { print $2 }')
  [ -n "$v" ] || die "$pkg lists no src archive '$1' (its bin archive for $arch is wanted)"
  a=$user/bin/$arch/$1/$v
  [ -f "$depot/$a/$2" ] || die "no file $2 in $a (not installed? depot download --arch $arch $pkg)"
  "$bin/depot" --depot "$depot" verify "$a" > /dev/null ||
    die "$a does not match its manifest (depot verify $a)"
  echo "$depot/$a/$2"
}

[ -n "$root" ] ||
  root=$(sed -n 's/.*"binary"[[:space:]]*:[[:space:]]*"\([A-Za-z0-9._-]*\)".*/\1/p' "$dir/runtime" | head -n 1)
[ -n "$root" ] || die "$pkg's runtime file names no binary: give --root NAME"
if [ $# -eq 0 ]; then
  # shellcheck disable=SC2046 # archive names hold no spaces
  set -- $(echo "$listed" | awk -v k="$kernel" -v r="$root" '$1 != k && $1 != r { print $1 }')
fi

# raw_files: NAME=FILE for each file of the pkg's raw archives, verified.
raw_files() {
  sed -n "s|^$user/raw/\([^/[:space:]]*\)/\([^/[:space:]]*\)[[:space:]]*\$|\1/\2|p" "$dir/archives" |
  while read -r nv; do
    a=$user/raw/$nv
    [ -d "$depot/$a" ] || die "$a is not installed (depot download --arch $arch $pkg)"
    "$bin/depot" --depot "$depot" verify "$a" > /dev/null ||
      die "$a does not match its manifest (depot verify $a)"
    for f in "$depot/$a"/*; do
      n=${f##*/}
      [ -f "$f" ] || continue
      case $n in *[!A-Za-z0-9._-]*|.*) die "$a holds '$n', which is no module name" ;; esac
      echo "$n=$f"
    done
  done
}

kernel_elf=$(file_of "$kernel" kernel.elf) || exit 1
modules="$root=$(file_of "$root" "$root")" || exit 1
for m in "$@"; do
  f=$(file_of "$m" "$m") || exit 1
  modules="$modules $m=$f"
done
raw=$(raw_files) || exit 1
modules="$modules $raw"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/depot-boot-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
[ -n "$image" ] || image=$tmp/boot.img
echo "depot-boot: kernel $kernel_elf"
for m in $modules; do echo "depot-boot: module ${m%%=*} ${m#*=}"; done
# shellcheck disable=SC2086 # NAME=FILE words without spaces
"$bin/riscv-bootimage" "$image" $modules || die "riscv-bootimage failed"
control_args=""
if [ -n "$control" ]; then
  case $control in *[!A-Za-z0-9._/-]*) die "'$control': a fifo's path of letters, digits, . _ - /" ;; esac
  [ -p "$control" ] || mkfifo "$control" || die "cannot make the fifo $control"
  control_args=$(rv_control_args "$control")
  echo "depot-boot: control channel: tests/riscv/push-rom NAME FILE >$control"
fi
# shellcheck disable=SC2086 # the control arguments are words
timeout -k 2 "$timeout_s" qemu-system-riscv64 -machine virt -m 128M -smp 1 \
  -nographic -monitor none -serial stdio -bios "$bios" -kernel "$kernel_elf" \
  -device "loader,file=$image,addr=$module_addr,force-raw=on" $control_args \
  -icount shift=0,sleep=off < /dev/null
