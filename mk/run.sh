#!/bin/sh
# `make run`: boots the demo on this machine. The Makefile has built the
# release variant; this script makes a fresh target directory (default
# build/run-target, or $RUN_TARGET), installs the boot modules and the demo
# config (pkg/demo/init.config), and runs core, whose output is the
# labelled log of every component ("[init -> counter] ...").
#
# The demo: init starts a timer, a log server, a counter server and a
# counter client. Driven by the timer, the client increments the counter
# over RPC, reads its value from a page of memory shared with the server,
# logs through the log server and exits after five increments.
#
# On a terminal the system keeps running: edit the target's
# config/init.config to change it, Ctrl-C (or SIGTERM) stops core, which
# ends every component (they die with core anyway). Without a terminal
# (stdin not a tty), or with RUN_INTERACTIVE=0, the script waits until the
# client is done, stops core and exits 0, or 1 if the demo did not finish
# within RUN_TIMEOUT seconds (default 60). RUN_INTERACTIVE=1 forces the
# interactive form.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/build/release/bin"
target=${RUN_TARGET:-$top/build/run-target}
timeout=${RUN_TIMEOUT:-60}
done_line='[init] child "counter_client" exited with exit value 0'

if [ -z "${RUN_INTERACTIVE:-}" ]; then
  if [ -t 0 ]; then RUN_INTERACTIVE=1; else RUN_INTERACTIVE=0; fi
fi

rm -rf "$target"
mkdir -p "$target/boot" "$target/config"
target=$(cd "$target" && pwd -P)
for module in init timer counter counter_client log_server; do
  cp "$bin/$module" "$target/boot/$module"
done
cp "$top/pkg/demo/init.config" "$target/config/init.config"
cd "$target"

if [ "$RUN_INTERACTIVE" = 1 ]; then
  echo "[run] target $target: edit config/init.config to change the system; Ctrl-C ends"
  exec "$bin/core" --target "$target"
fi

# Without a terminal: core in the background, its log shown as it grows,
# until the demo says it is done. The log exists before tail looks for it
# (the redirection of a background job happens only once it runs).
: > "$target/run.log"
"$bin/core" --target "$target" > "$target/run.log" 2>&1 &
core_pid=$!
tail -n +1 -f --pid="$core_pid" "$target/run.log" &
tail_pid=$!
status=1
ticks=$((timeout * 10))
while [ "$ticks" -gt 0 ] && kill -0 "$core_pid" 2>/dev/null; do
  if grep -qF "$done_line" "$target/run.log"; then status=0; break; fi
  sleep 0.1
  ticks=$((ticks - 1))
done
kill -TERM "$core_pid" 2>/dev/null || true
wait "$core_pid" 2>/dev/null || true
sleep 0.2
kill "$tail_pid" 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true
[ "$status" -eq 0 ] || echo "[run] the demo did not finish within ${timeout}s; log: $target/run.log" >&2
exit "$status"
