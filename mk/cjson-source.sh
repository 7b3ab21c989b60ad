#!/bin/sh
# cJSON's source for the riscv64 build (tests/riscv/module.mk cross-builds
# it with picolibc into build/release/riscv/lib/libcjson.a): Debian ships
# cJSON built for the host only (libcjson-dev), and its riscv64 multiarch
# build is for glibc and the lp64d ABI, which our lp64 components cannot
# link. So this fetches Debian's own source package of cJSON with
# `apt-get source` and unpacks it (Debian's patches applied) into
# $CJSON_SRC (default /usr/local/src/cjson), recording the version in
# $CJSON_SRC/debian-version. Called by mk/deps.sh; a second run, once that
# file is there, does nothing.
#
# The machine's apt sources usually name binary packages only (`deb`), so
# the `deb-src` entries are derived from the Debian repositories apt is
# configured with (`apt-get indextargets`), written to a private sources
# directory with a private list directory: the machine's apt configuration
# is not changed. apt checks the source package against the repository's
# signed Sources index, as it checks binary packages.
set -eu

dest=${CJSON_SRC:-/usr/local/src/cjson}
[ -f "$dest/debian-version" ] && [ -f "$dest/cJSON.c" ] && exit 0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cjson-source-XXXXXX")
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
  echo "cjson-source: apt knows no Debian repository (apt-get indextargets found none)" >&2
  exit 1; }
echo "$repos" | while read -r uri release component; do
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $release $component"
done > "$tmp/sources/cjson.list"

apt_private() {
  apt-get -qq -o Dir::Etc::SourceList=/dev/null \
    -o Dir::Etc::SourceParts="$tmp/sources" \
    -o Dir::State::Lists="$tmp/lists" \
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
    -o APT::Sandbox::User=root "$@"
}
echo "cjson-source: fetching Debian's source package of cJSON into $dest"
apt_private update
(cd "$tmp/get" && apt_private source --download-only cjson)
dsc=$(ls "$tmp/get"/cjson_*.dsc)
# dpkg-source warns that it cannot check the .dsc's signature (no Debian
# developer keyring here); apt has checked the files against the signed
# index already, so its output is shown only when it fails.
(cd "$tmp/get" && dpkg-source --no-copy -x "$dsc" src > "$tmp/unpack.log" 2>&1) ||
  { cat "$tmp/unpack.log" >&2; exit 1; }
version=$(sed -n 's/^Version: //p' "$dsc")
[ -f "$tmp/get/src/cJSON.c" ] && [ -f "$tmp/get/src/cJSON.h" ] || {
  echo "cjson-source: cJSON $version has no cJSON.c and cJSON.h at its top" >&2
  exit 1; }

# Only what the build reads, and the licence; then in place at once.
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.new" "$dest.old"
mkdir -m 755 "$dest.new"
cp "$tmp/get/src/cJSON.c" "$tmp/get/src/cJSON.h" "$tmp/get/src/LICENSE" "$dest.new/"
echo "$version" > "$dest.new/debian-version"
[ ! -e "$dest" ] || mv "$dest" "$dest.old"
mv "$dest.new" "$dest"
rm -rf "$dest.old"
echo "cjson-source: cJSON $version in $dest"
