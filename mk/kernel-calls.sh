#!/bin/sh
# The check of `make lint` that components speak libruntime only: no call
# of a kernel-interface function (kcap_*, kmem_*, ksignal_*, kthread_*, ...:
# every k<object>_ prefix that kernel/include/kernel/ declares) in a C file
# outside the layers that implement or sit on the kernel interface:
#   kernel/   the interface and its platforms
#   core/     the root component, which owns the kernel's objects
#   runtime/  libruntime's library modules (runtime/<module>/), which
#             implement its API on the kernel interface; not runtime/init,
#             a component like any other, nor runtime/format, which host
#             tools share
#   tests/    white-box tests of every layer, the kernel's included
#   build/    generated and built files
# Components (pkg/, runtime/init) and host tools are checked. Names only, no types:
# kcap_t and KCAP_INVALID pass, since libruntime's API speaks them. A call
# is a k<object>_ name before `(`; a function taken as a value (`.fn =
# kcap_close`, `f(kcap_close)`, `&kcap_close`) is one of the functions the
# headers declare after `=`, `,`, `(` or `&`, not called there.
# Prints each offending line and exits 1; exits 0 when there is none.
set -eu
cd "$(dirname "$0")/.."

prefixes=$(grep -ohE '\bk[a-z]+_[a-z_]+[[:space:]]*\(' kernel/include/kernel/*.h |
  sed 's/_.*//' | sort -u | paste -sd'|' -)
[ -n "$prefixes" ] || { echo "kernel-calls: no kernel functions found" >&2; exit 2; }
functions=$(grep -ohE '\bk[a-z]+_[a-z_0-9]+[[:space:]]*\(' kernel/include/kernel/*.h |
  sed 's/[[:space:]]*(//' | sort -u | paste -sd'|' -)

found=$(find . -path ./kernel -prune -o -path ./core -prune \
          -o \( -path './runtime/*' ! -path './runtime/init*' \
                 ! -path './runtime/format*' \) -prune \
          -o -path ./tests -prune \
          -o -path ./build -prune -o -path ./.git -prune \
          -o -type f \( -name '*.c' -o -name '*.h' \) -print |
  sort | xargs -r grep -nE "\\b($prefixes)_[a-z_]+[[:space:]]*\\(|[=,(&][[:space:]]*($functions)\\b([^(a-z_0-9]|\$)" || true)
if [ -n "$found" ]; then
  echo "$found"
  echo "kernel-calls: components call libruntime, never the kernel interface" \
       "(runtime/include/runtime/: cap.h, dataspace.h, signal.h, thread.h," \
       "clock.h, ...)" >&2
  exit 1
fi
