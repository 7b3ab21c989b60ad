# frame HEADER FILE: writes one frame of core on riscv's control channel
# (core/riscv/control.c) to stdout: the header line, FILE's bytes and a
# newline (which core skips between frames; a stop frame requires it).
# Sourced by stop-request (push-rom and push-archive are the build's
# riscv-push-rom and riscv-push-archive, kernel/riscv/tool/, over the
# frame writer sculpt links).
frame() {
  printf '%s\n' "$1"
  cat "$2"
  printf '\n'
}

# file_size FILE: its size in bytes.
file_size() { wc -c <"$1" | tr -d ' '; }
