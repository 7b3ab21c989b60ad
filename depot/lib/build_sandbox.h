/*
 * Private to libdepot: the bounds `depot build` puts around the make of a
 * src archive (build.c runs it). An archive's Makefile is code its author
 * wrote, run with the builder's user id; these bounds are what stands
 * between it and the builder's files, keys and network. What they do not
 * cover is said in depot/lib/README.md ("Building: what a Makefile may
 * do").
 */
#ifndef DEPOT_BUILD_SANDBOX_H
#define DEPOT_BUILD_SANDBOX_H

#include <stddef.h>

/*
 * Called in the child, between fork and exec of make, with `work` the
 * build's staging directory (the tree and a scratch directory tmp/ are in
 * it). Puts the process (and so every process make starts) in its own
 * process group, network namespace (no interface but a loopback that is
 * down; in a user namespace of its own when the builder is not root),
 * under Landlock (writes only beneath `work`; reads and executes only
 * beneath `work` and the system's directories: no home directory, so no
 * key of ~/.config/depot/keys; /dev/null, /dev/zero and /dev/urandom; with
 * Landlock ABI 6, no signal to a process outside the build) and
 * rlimits (DEPOT_BUILD_*_MAX of build.h), with no new privileges (setuid
 * programs do not elevate) and a clean environment (PATH, HOME=work,
 * TMPDIR=work/tmp, LC_ALL=C, TZ=UTC; nothing inherited). Returns 0, or -1
 * with what could not be set up in `why`: the build is then not run.
 */
int build_sandbox_enter(const char *work, char *why, size_t why_size);

#endif
