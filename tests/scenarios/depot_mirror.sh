# The project's published depot tree, served by a private nginx on
# 127.0.0.1: what the scenarios that boot a target from a depot download
# from (39-boot-from-depot, 40-readme-boot). Sourced after lib.sh, used
# after scenario_begin.
#
#   mirror_up SEED   makes the tree with mk/project-depot.sh (with
#                    --arch $SCENARIO_ARCH when that is not the host's),
#                    or reuses it
#                    when it is current (the first run of `make test` builds
#                    it, tests/run says how long that took), and serves it
#                    at $MIRROR; sets TREE and MIRROR; replaces the EXIT
#                    trap with one that also stops nginx
#
# PROJECT_DEPOT_TREE=DIR serves a tree made elsewhere instead.
: "${PROJECT_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$PROJECT_ROOT/tests/lib/nginx.sh"

mirror_up() {
  if [ -n "${PROJECT_DEPOT_TREE:-}" ]; then
    TREE=$PROJECT_DEPOT_TREE
  else
    TREE=$PROJECT_ROOT/build/depot-tree
    # with the bin archives of the platform's arch when that is not the
    # host's ($SCENARIO_ARCH, lib.sh: riscv64 on qemu-riscv64)
    cross=""
    [ "$SCENARIO_ARCH" = "$(uname -m)" ] || cross="--arch $SCENARIO_ARCH"
    # shellcheck disable=SC2086 # an option and an arch, no spaces
    BUILD_RELEASE=$BUILD_RELEASE sh "$PROJECT_ROOT/mk/project-depot.sh" \
      $cross --quiet > "$T/depot-tree.log" 2>&1 ||
      { cat "$T/depot-tree.log" >> "$T/out"; fail "mk/project-depot.sh failed"; }
  fi
  [ -f "$TREE/metadata/1.root.json" ] || fail "no published tree in $TREE"
  nginx_dir=$T/nginx
  mkdir -p "$nginx_dir" && chmod 755 "$T" "$nginx_dir" || fail "cannot make $nginx_dir"
  trap 'nginx_stop; cleanup' EXIT
  nginx_setup "$1" || fail "nginx does not start on 127.0.0.1"
  ln -s "$TREE" "$nginx_dir/www/depot"
  # shellcheck disable=SC2034 # for the scenario that sources this file
  MIRROR=$(nginx_http)/depot
}
