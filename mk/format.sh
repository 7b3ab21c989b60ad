#!/bin/sh
# The one formatting style of the tree (.clang-format), applied and checked.
#
#   sh mk/format.sh apply        rewrite every file below in place (make format)
#   sh mk/format.sh check        list the files that differ from the style,
#                                exit 1 if any (make format-check, make lint)
#   sh mk/format.sh verify [REV] for every file that differs from REV (default
#                                HEAD), check that only whitespace changed:
#                                with all spaces, tabs and newlines deleted,
#                                the file is byte-identical before and after;
#                                exit 1 otherwise (make format-verify)
#   sh mk/format.sh churn        lines a run would change, per folder
#
# Which files: every .c and .h that git tracks, except test vectors (fuzz
# corpora under tests/fuzz/corpus/) and anything third-party or generated
# (a third_party/ or vendor/ folder, build/). Today no tracked file is
# generated or third-party: rpcgen's output lives in build/. A layout that
# must stay as written (a table) is fenced with `// clang-format off` and
# `// clang-format on`, with a line saying why; macro bodies are never
# touched (.clang-format).
#
# Runs exactly clang-format 19 (CLANG_FORMAT overrides), since another
# version lays some lines out differently and the check would flap.
set -eu

CLANG_FORMAT=${CLANG_FORMAT:-clang-format-19}
cd "$(dirname "$0")/.."
raw=$(mktemp)
tmp=$(mktemp)
trap 'rm -f "$raw" "$tmp"' EXIT

files() {
	git ls-files -- '*.c' '*.h' | grep -v -E \
	  '^(tests/fuzz/corpus/|build/)|(^|/)(third_party|vendor)/' || true
}

need_tool() {
	if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
		echo "format: $CLANG_FORMAT is missing: run 'sh mk/deps.sh lint'" >&2
		exit 2
	fi
}

# A suppression for clang-tidy or cppcheck holds for one line: the line it
# ends (`// NOLINT(...)`, `// cppcheck-suppress ...`) or the line after it
# (`// NOLINTNEXTLINE(...)`, a `// cppcheck-suppress ...` line of its own).
# clang-format would wrap such a line and the suppression would land beside
# another part of the statement, so protect() fences each such line with
# `/* clang-format off */` ... `/* clang-format on */` (the block-comment
# form is this script's own: write `// clang-format off` by hand), and
# unprotect() takes the fences out again and gives the line the indentation
# clang-format gave its opening fence (tabs where depot/tuf had spaces).
protect() {
	awk '
	/^[ \t]*\/\/ clang-format off/ { user = 1 }
	/^[ \t]*\/\/ clang-format on/ { user = 0 }
	{
		alone = $0 ~ /^[ \t]*\/\/[ \t]*(NOLINTNEXTLINE|cppcheck-suppress)/
		ends = !alone && $0 ~ /(NOLINT|cppcheck-suppress)/
		if (!user && (ends || next_too)) {
			match($0, /^[ \t]*/)
			indent = substr($0, 1, RLENGTH)
			print indent "/* clang-format off */"
			print
			print indent "/* clang-format on */"
		} else {
			print
		}
		next_too = alone
	}'
}

unprotect() {
	awk '
	/^[ \t]*\/\* clang-format off \*\/$/ {
		match($0, /^[ \t]*/)
		indent = substr($0, 1, RLENGTH)
		fenced = 1
		next
	}
	/^[ \t]*\/\* clang-format on \*\/$/ { next }
	fenced { sub(/^[ \t]*/, indent); fenced = 0 }
	{ print }'
}

# Prints the formatted text of $1; fails loudly if clang-format does.
formatted() {
	if ! protect < "$1" |
	     "$CLANG_FORMAT" --style=file --assume-filename="$1" > "$raw"; then
		echo "format: $CLANG_FORMAT failed on $1" >&2
		return 2
	fi
	unprotect < "$raw"
}

apply() {
	need_tool
	for f in $(files); do
		formatted "$f" > "$tmp" || exit 2
		cmp -s "$f" "$tmp" || cat "$tmp" > "$f"
	done
}

check() {
	need_tool
	bad=0
	for f in $(files); do
		formatted "$f" > "$tmp" || exit 2
		if ! cmp -s "$f" "$tmp"; then
			echo "$f"
			bad=1
		fi
	done
	if [ "$bad" -ne 0 ]; then
		echo "format: the files above differ from .clang-format:" \
		     "run 'make format'" >&2
		exit 1
	fi
}

# Only whitespace may differ between REV and the work tree. A file added or
# removed since REV is reported: formatting neither adds nor removes one.
verify() {
	rev=${1:-HEAD}
	before=$raw
	after=$tmp
	bad=0
	n=0
	for f in $(git diff --name-only "$rev" -- '*.c' '*.h'); do
		n=$((n + 1))
		if [ ! -f "$f" ] || ! git cat-file -e "$rev:$f" 2>/dev/null; then
			echo "format: $f was added or removed since $rev" >&2
			bad=1
			continue
		fi
		git show "$rev:$f" | tr -d ' \t\n' > "$before"
		tr -d ' \t\n' < "$f" > "$after"
		if ! cmp -s "$before" "$after"; then
			echo "format: $f changed more than whitespace" >&2
			bad=1
		fi
	done
	echo "format: $n changed files checked against $rev"
	[ "$bad" -eq 0 ] || exit 1
}

churn() {
	need_tool
	for f in $(files); do
		lines=$(wc -l < "$f")
		changed=$(formatted "$f" | diff "$f" - | grep -c '^<' || true)
		case "$f" in
		runtime/*|kernel/*|pkg/*|depot/*|tests/*)
			dir=$(echo "$f" | cut -d/ -f1-2) ;;
		*)	dir=$(echo "$f" | cut -d/ -f1) ;;
		esac
		echo "$dir $lines $changed"
	done | awk '{ l[$1] += $2; c[$1] += $3; tl += $2; tc += $3 }
	  END { for (d in l) printf "%-20s %6d of %6d lines %5.1f%%\n", d,
	          c[d], l[d], 100 * c[d] / l[d];
	        printf "%-20s %6d of %6d lines %5.1f%%\n", "(all)", tc, tl,
	          100 * tc / tl }' | sort
}

case "${1:-}" in
apply) apply ;;
check) check ;;
verify) shift; verify "$@" ;;
churn) churn ;;
*)	echo "usage: sh mk/format.sh apply|check|verify [REV]|churn" >&2
	exit 2 ;;
esac
