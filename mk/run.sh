#!/bin/sh
# `make run`: boots the demo on this machine. The Makefile has built the
# release variant; this script makes a fresh target directory (default
# build/run-target, or $RUN_TARGET), installs the boot modules and the
# demo config, and runs core in the foreground, where its output is the
# labelled log of every component ("[init] ...").
#
# On a terminal the demo keeps running: edit the target's
# config/init.config to reconfigure it live, Ctrl-C (or SIGTERM) stops core,
# which kills its protection domains (they die with core anyway).
# Without a terminal (stdin not a tty), or with RUN_INTERACTIVE=0, the demo
# runs to completion and the script exits with its status (0 on success);
# RUN_INTERACTIVE=1 forces the interactive form.
#
# The demo, until init and the demo components exist, is the scenario
# probe as init: it says hello, shows its quota, tries the device services
# and every way out of its confinement, and is refused each time.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/build/release/bin"
target=${RUN_TARGET:-$top/build/run-target}

if [ -z "${RUN_INTERACTIVE:-}" ]; then
  if [ -t 0 ]; then RUN_INTERACTIVE=1; else RUN_INTERACTIVE=0; fi
fi

rm -rf "$target"
mkdir -p "$target/boot" "$target/config"
target=$(cd "$target" && pwd -P)
cp "$bin/scenario-probe" "$target/boot/init"
cp "$bin/hello" "$target/boot/hello"

demo='log welcome to the demo: this is init, a confined component
quota
devices
hostile
log every escape was refused, and init is still alive'

if [ "$RUN_INTERACTIVE" = 1 ]; then
  printf '%s\nwatch\nlog edit %s/config/init.config to change me; Ctrl-C ends\n' \
    "$demo" "$target" > "$target/config/init.config"
  cd "$target"
  exec "$bin/core" --target "$target"
fi

printf '%s\nexit 0\n' "$demo" > "$target/config/init.config"
cd "$target"
exec "$bin/core" --target "$target" --exit-with-init
