#!/bin/sh
# The riscv kernel's figures for `make bench` (tests/bench/run): boots
# tests/riscv/progs/bench.c with server.c and kserver.c under QEMU (-icount, so the
# figures are guest instructions and exactly repeatable) and prints its
# lines. Without QEMU or the cross build it says so and exits 1.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
rv=$top/build/release/riscv
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
command -v qemu-system-riscv64 >/dev/null || { echo "qemu-system-riscv64 not installed"; exit 1; }
[ -f "$rv/progs/bench.elf" ] || { echo "$rv/progs/bench.elf not built"; exit 1; }
img=$(mktemp "${TMPDIR:-/tmp}/riscv-bench-XXXXXX")
trap 'rm -f "$img"' EXIT
"$top/build/release/bin/riscv-bootimage" "$img" bench="$rv/progs/bench.elf" \
    server="$rv/progs/server.elf" kserver="$rv/progs/kserver.elf" || exit 1
out=$(timeout -k 2 20 qemu-system-riscv64 -machine virt -m 128M -smp 1 -nographic \
    -monitor none -serial stdio -bios "$bios" -kernel "$rv/kernel.elf" \
    -device "loader,file=$img,addr=0x87000000,force-raw=on" \
    -icount shift=0,sleep=off </dev/null 2>&1 | tr -d '\r' |
  sed -n 's/^\[bench\] bench: /riscv64 (guest instructions): /p')
[ -n "$out" ] || { echo "the bench printed nothing"; exit 1; }
echo "$out"
