#!/bin/sh
# Installs the Debian packages the project builds, tests and runs with, and
# only those that are missing, so a second run costs a dpkg query and nothing
# more. Called by `make deps`, which every other target depends on;
# `sh mk/deps.sh lint` adds the analyzers and the formatter of `make lint`
# and `make format`.
set -eu

packages="
  build-essential pkg-config clang llvm libclang-rt-14-dev
  libcmocka-dev libcjson-dev libarchive-dev libcurl4-openssl-dev
  libssl-dev libzstd-dev liblzma-dev libseccomp-dev
  nginx-light curl zstd xz-utils openssl util-linux procps libedit-dev
  tmux graphviz iproute2
  qemu-system-misc opensbi gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user-static
"
# clang-format-19 exactly: mk/format.sh's check must not depend on the
# version (Debian 12 has it in main; clang-tidy stays at the default 14).
[ "${1:-}" = lint ] && packages="$packages cppcheck clang-tidy clang-format-19"

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
