#!/bin/sh
# Installs the Debian packages the project builds, tests and runs with, and
# only those that are missing, so a second run costs a dpkg query and nothing
# more; then the sources of cJSON and OpenSSL for the riscv64 build
# (mk/debian-source.sh, once each). Called by `make deps`, which every other target depends on;
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

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

if [ -n "$missing" ]; then
  echo "deps: installing$missing"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# cJSON and OpenSSL for riscv64 are built from Debian's source packages
# (no riscv64 build of them for picolibc exists): fetched once into
# /usr/local/src (tests/riscv/module.mk, mk/openssl-riscv.mk).
[ -f /usr/local/src/cjson/debian-version ] ||
  $sudo sh "$(dirname "$0")/debian-source.sh" cjson /usr/local/src/cjson \
    cJSON.c cJSON.h LICENSE
[ -f /usr/local/src/openssl/debian-version ] ||
  $sudo sh "$(dirname "$0")/debian-source.sh" openssl /usr/local/src/openssl

# OpenSSL for s390x (tests/cross: the TLS link on a big-endian node), by
# Debian multiarch. libssl3 and libssl-dev are Multi-Arch: same, so both
# architectures must have one version: the newest that the archives carry
# for both (the security archive may carry a newer build for this machine
# only), which may move this machine's libssl to that version.
case "$(dpkg-query -W -f='${Status}' libssl-dev:s390x 2>/dev/null || true)" in
  *"install ok installed"*) exit 0 ;;
esac
# A failed try is not repeated by every make (remove the stamp to retry).
stamp=build/deps-libssl-s390x.failed
[ -e "$stamp" ] && exit 0
set +e   # from here nothing is fatal: only tests/cross needs it, and says so
failed() { echo "deps: $*: tests/cross skips the TLS link" >&2; mkdir -p build && : > "$stamp"; exit 0; }
native=$(dpkg --print-architecture)
echo "deps: installing libssl-dev:s390x (multiarch)"
dpkg --print-foreign-architectures | grep -qx s390x || $sudo dpkg --add-architecture s390x
$sudo apt-get update -qq
both=""
for v in $(apt-cache madison libssl-dev:s390x | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'); do
  if apt-cache madison "libssl-dev:$native" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | grep -qxF "$v"; then
    both=$v
    break
  fi
done
[ -n "$both" ] || failed "no version of libssl-dev exists for both $native and s390x here"
$sudo apt-get install -y -qq --no-install-recommends "libssl-dev:s390x=$both" \
  "libssl3:s390x=$both" "libssl-dev:$native=$both" "libssl3:$native=$both" ||
  failed "libssl-dev:s390x $both did not install beside this machine's libssl"
