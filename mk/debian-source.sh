#!/bin/sh
# Usage: debian-source.sh PACKAGE DEST [FILE...]
#
# Fetches Debian's own source package PACKAGE with `apt-get source`,
# unpacks it (Debian's patches applied) and puts into DEST the FILEs named
# (paths in the source tree, kept with their folders) or, without FILEs,
# the whole tree; DEST/debian-version records the version. For what the
# riscv64 build compiles itself because Debian builds it for the host (or
# for glibc and the lp64d ABI) only: cJSON (tests/riscv/module.mk) and
# OpenSSL (mk/openssl-riscv.mk). Called by mk/deps.sh; a second run, once
# DEST/debian-version is there, does nothing.
#
# The machine's apt sources usually name binary packages only (`deb`), so
# the `deb-src` entries are derived from the Debian repositories apt is
# configured with (`apt-get indextargets`), written to a private sources
# directory with a private list directory: the machine's apt configuration
# is not changed. Trust: apt fetches the repositories' InRelease files,
# checks their signatures against debian-archive-keyring, takes the
# Sources index by the hashes InRelease lists, and takes the .dsc and its
# tarballs by the hashes that index lists: a file that differs is refused
# ("Hash Sum mismatch") and nothing is unpacked.
set -eu

[ $# -ge 2 ] || { echo "usage: debian-source.sh PACKAGE DEST [FILE...]" >&2; exit 2; }
pkg=$1 dest=$2
shift 2
[ -f "$dest/debian-version" ] && exit 0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/debian-source-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sources" "$tmp/lists/partial" "$tmp/get"

# The Debian repositories of this machine's binary packages, as deb-src.
targets() {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
    'Created-By: Packages' 'Origin: Debian' | sort -u
}
repos=$(targets)
if [ -z "$repos" ]; then
  apt-get update -qq
  repos=$(targets)
fi
[ -n "$repos" ] || {
  echo "debian-source: apt knows no Debian repository (apt-get indextargets found none)" >&2
  exit 1; }
echo "$repos" | while read -r uri release component; do
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $release $component"
done > "$tmp/sources/debian-source.list"

apt_private() {
  tool=$1
  shift
  "$tool" -qq -o Dir::Etc::SourceList=/dev/null \
    -o Dir::Etc::SourceParts="$tmp/sources" \
    -o Dir::State::Lists="$tmp/lists" \
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
    -o APT::Sandbox::User=root "$@"
}
echo "debian-source: fetching Debian's source package $pkg into $dest"
apt_private apt-get update
# Newest version first; a repository whose index is reachable may still
# lack the files (a mirror of the security archive that serves binaries
# only answers 404), so an older version from another suite is next.
versions=$(apt_private apt-cache madison "$pkg" | awk -F'|' '/Sources/ { gsub(/ /, "", $2); print $2 }')
[ -n "$versions" ] || { echo "debian-source: no source package $pkg in $repos" >&2; exit 1; }
for v in $versions; do
  (cd "$tmp/get" && apt_private apt-get source --download-only "$pkg=$v" 2>"$tmp/fetch.log") && break
  echo "debian-source: $pkg $v could not be fetched ($(grep -m1 '^E:' "$tmp/fetch.log" || true)), trying an older one" >&2
  rm -f "$tmp/get"/*
done
dsc=$(ls "$tmp/get/${pkg}"_*.dsc 2>/dev/null) || {
  echo "debian-source: no version of $pkg could be fetched" >&2; exit 1; }
# dpkg-source warns that it cannot check the .dsc's signature (no Debian
# developer keyring here); apt has checked the files against the signed
# index already, so its output is shown only when it fails.
(cd "$tmp/get" && dpkg-source --no-copy -x "$dsc" src > "$tmp/unpack.log" 2>&1) ||
  { cat "$tmp/unpack.log" >&2; exit 1; }
version=$(sed -n 's/^Version: //p' "$dsc")

# Only what the build reads (or all of it); then in place at once.
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.new" "$dest.old"
if [ $# -eq 0 ]; then
  rm -rf "$tmp/get/src/debian/.pc" "$tmp/get/src/.pc"
  mv "$tmp/get/src" "$dest.new"
else
  mkdir -m 755 "$dest.new"
  for f in "$@"; do
    [ -f "$tmp/get/src/$f" ] || {
      echo "debian-source: $pkg $version has no $f" >&2
      exit 1; }
    mkdir -p "$dest.new/$(dirname "$f")"
    cp "$tmp/get/src/$f" "$dest.new/$f"
  done
fi
echo "$version" > "$dest.new/debian-version"
[ ! -e "$dest" ] || mv "$dest" "$dest.old"
mv "$dest.new" "$dest"
rm -rf "$dest.old"
echo "debian-source: $pkg $version in $dest"
