/*
 * Private interface of the closure walk (closure.c), shared with the
 * closure installer (install_closure.c), which walks a depot that does not
 * hold every pkg yet.
 */
#ifndef DEPOT_CLOSURE_H
#define DEPOT_CLOSURE_H

#include "depot/depot.h"

/* Whether an installed pkg is intact (1) or damaged (0); ctx is the
 * walk's. */
typedef int (*closure_intact_fn)(void *ctx, const struct depot_name *name);

/* depot_closure(); with `tolerate_missing`, a pkg that is not installed
 * is reported through `fn` like any archive, without descending into it,
 * and the root must have a version; so is a pkg of the depot that
 * `intact` (optional) finds damaged. With `pending` (a directory laid out
 * like the depot, install.h), a pkg found there counts as installed for
 * the walk. Archives come dependencies first, each once. */
int closure_walk(const char *depot, const char *pending,
                 const struct depot_name *root, const char *arch,
                 int tolerate_missing, closure_intact_fn intact,
                 depot_archive_fn fn, void *ctx, struct depot_diag *diag);

#endif
