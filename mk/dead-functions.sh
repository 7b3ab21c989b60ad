#!/bin/sh
# The check of `make lint` that the project defines no dead global
# function. Reads the objects of a build (one path a line in OBJECT_LIST,
# which the Makefile writes from every module.mk's objects, so a stale .o
# left in build/ by a moved source does not count) with nm, and reports
# every global function (nm type T) defined in a project object that no
# other object of the project's programs and libraries references:
#
#   used only in its file  its own object refers to it (a relocation) or
#                          its own source names it after the definition
#                          (comments stripped; an inlined call leaves no
#                          relocation): make it static (if tests call it
#                          too, the message says so)
#   used only by tests     only tests call it (objects below tests/, or
#                          the sources of tests/ for the unit tests, which
#                          the release build does not compile): remove it,
#                          or allowlist it with the reason it is API
#   referenced by no code  remove it
#
# A reference counts by name: a function that two programs both define is
# live when either name is used. Objects below tests/ and generated ones
# (build/: rpcgen's stubs) are read for references but their own functions
# are not checked (test helpers are shared with the sanitizer build, which
# this does not read; unused stubs are the generator's business). main is
# an entry point. The riscv platform's objects are not read (its kernel is
# built with LTO); a function used only there goes in the allowlist.
#
# The allowlist, mk/dead-functions.allow: `SYMBOL REASON...` a line, `#`
# comments; a line without a reason, or naming a function that is not
# dead (any more), is an error too, so the list stays true.
#
# Usage: mk/dead-functions.sh OBJECT_LIST. Prints each finding as
# `source: function: what`, exits 1 when there is one, 2 on usage errors.
set -eu
cd "$(dirname "$0")/.."
list=${1:?usage: mk/dead-functions.sh OBJECT_LIST}
allow=mk/dead-functions.allow
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dead-functions-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

while read -r obj; do
  [ -f "$obj" ] || { echo "dead-functions: '$obj' is missing: build first" >&2; exit 2; }
done < "$list"

# The prefix of every object path (build/<variant>/obj/), from the list.
prefix=$(sed -n '1s|^\(.*/obj/\).*|\1|p' "$list")
[ -n "$prefix" ] || { echo "dead-functions: '$list' lists no object" >&2; exit 2; }

# "object symbol" of every global function defined, and of every symbol
# referenced (undefined), in each object.
xargs nm -A -g --defined-only < "$list" |
  awk '$2 == "T" { sub(/:[0-9a-f]*$/, "", $1); print $1, $3 }' > "$tmp/defs"
xargs nm -A -u < "$list" |
  awk '{ sub(/:$/, "", $1); print $1, $NF }' > "$tmp/refs"

# The allowlist, checked for reasons.
: > "$tmp/allowed"
if [ -f "$allow" ]; then
  awk -v f="$allow" '
    /^[[:space:]]*(#|$)/ { next }
    NF < 2 { printf "%s:%d: \"%s\" needs a reason\n", f, NR, $1; bad = 1; next }
    { print $1 > "/dev/stderr" }
    END { exit bad }' "$allow" 2> "$tmp/allowed" || exit 1
fi

# One finding per dead function: "source symbol what".
awk -v prefix="$prefix" '
  function is_test(o) { return index(o, prefix "tests/") == 1 }
  function is_generated(o) { return index(o, prefix "build/") == 1 }
  FILENAME == ARGV[1] { if (!is_generated($1) && !is_test($1) &&
                            $2 != "main") def[$1, $2] = 1
                        next }
  { if (is_test($1)) test_ref[$2] = 1; else ref[$2] = ref[$2] " " $1 }
  END {
    for (k in def) {
      split(k, p, SUBSEP); obj = p[1]; sym = p[2]
      n = split(ref[sym], users, " "); live = 0
      for (i = 1; i <= n; i++) if (users[i] != obj) live = 1
      if (live) continue
      src = substr(obj, length(prefix) + 1); sub(/\.o$/, ".c", src)
      print src, sym, obj, (sym in test_ref) ? "tests" : "none"
    }
  }' "$tmp/defs" "$tmp/refs" | sort > "$tmp/candidates"

# Whether `sym` is used in its own file: a relocation against it in its
# object, or its name after the definition in the comment-free source.
used_in_own_file() {
  obj=$1 src=$2 sym=$3
  readelf -rW "$obj" | awk -v s="$sym" '$5 == s { found = 1 } END { exit !found }' &&
    return 0
  [ -f "$src" ] || return 1
  n=$(gcc -fpreprocessed -dD -E -P "$src" 2>/dev/null | grep -ow -- "$sym" | wc -l)
  [ "$n" -gt 1 ]
}

# Whether a test calls `sym`: a test object of this build does, or a C
# source below tests/ names it.
used_by_tests() {
  [ "$2" = tests ] || grep -rqw --include='*.c' -- "$1" tests
}

status=0
: > "$tmp/dead"
while read -r src sym obj users; do
  echo "$sym" >> "$tmp/dead"
  grep -qxF -- "$sym" "$tmp/allowed" && continue
  if used_in_own_file "$obj" "$src" "$sym"; then
    what="used only in its own file: make it static"
    used_by_tests "$sym" "$users" &&
      what="used only in its own file and by tests: make it static (test it through its callers)"
  elif used_by_tests "$sym" "$users"; then
    what="used only by tests: remove it, or allowlist it as API with a reason"
  else
    what="referenced by no code: remove it"
  fi
  echo "$src: $sym: $what"
  status=1
done < "$tmp/candidates"

while read -r sym; do
  grep -qxF -- "$sym" "$tmp/dead" && continue
  echo "$allow: '$sym' is not dead (any more): take it off the list"
  status=1
done < "$tmp/allowed"

if [ "$status" -ne 0 ]; then
  echo "dead-functions: global functions that no other object uses" \
       "(mk/dead-functions.sh says how to read this)" >&2
fi
exit "$status"
