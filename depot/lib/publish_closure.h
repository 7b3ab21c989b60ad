/*
 * What `depot publish` checks before it signs anything (private to
 * libdepot): that every pkg it publishes can be installed from the tree
 * that results, i.e. each archive the pkg lists is in the tree already or
 * published with it. A pkg with a hole in its closure would be signed,
 * served and then fail on every client, so it is refused with the holes
 * named and the commands that fill them.
 */
#ifndef DEPOT_PUBLISH_CLOSURE_H
#define DEPOT_PUBLISH_CLOSURE_H

#include <stddef.h>

#include "depot/depot.h"

/*
 * For each pkg among names[count] (archive files of `depot`), reads the
 * `archives` list inside its .tar.zst and checks every entry: a `src`
 * entry needs a bin archive of the same name and version for some arch,
 * any other entry itself, either among names[] or already below
 * `tree`/targets/. 0, or DEPOT_E_UNPUBLISHED naming the pkg (subject) and
 * the missing archives with what makes them (detail).
 */
int publish_check_closure(const char *depot, const char *tree,
                          const struct depot_name *names, size_t count,
                          struct depot_diag *diag);

#endif
