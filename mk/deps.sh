#!/bin/sh
# Installs the Debian packages the project builds, tests and runs with, and
# only those that are missing, so a second run costs a dpkg query and nothing
# more; then cJSON's source for the riscv64 build (mk/cjson-source.sh, once). Called by `make deps`, which every other target depends on;
# `sh mk/deps.sh lint` adds the analyzers of `make lint`.
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
[ "${1:-}" = lint ] && packages="$packages cppcheck clang-tidy"

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
if [ -n "$missing" ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# cJSON for riscv64 is built from Debian's source package (no riscv64
# build of it for picolibc exists): fetched once into /usr/local/src/cjson.
[ -f /usr/local/src/cjson/debian-version ] ||
  $sudo sh "$(dirname "$0")/cjson-source.sh"
