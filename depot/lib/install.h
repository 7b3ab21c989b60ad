/*
 * Private interface of the installer (install.c) for the streaming
 * installer (stream_install.c): the last step of every install, once an
 * archive is extracted into <staging>/content.
 */
#ifndef DEPOT_INSTALL_H
#define DEPOT_INSTALL_H

#include <stddef.h>

#include <limits.h>

#include "depot/depot.h"
#include "staging.h"

/* Checks a pkg's runtime and archives files, writes the manifest (lines of
 * extract_safe) into the staging directory, and renames manifest and then
 * content into place below `into` (the depot, or its pending area): the
 * content's rename installs the archive. With `replace`, the content
 * takes the place of an installed (damaged) copy in one exchange, and the
 * old copy leaves with the staging directory; without, an installed copy
 * is kept (a concurrent run installed it first). */
int install_commit(const char *into, const struct depot_name *name,
                   const struct staging *s, char *manifest_text,
                   size_t manifest_length, int replace,
                   struct depot_diag *diag);

/* Extracts the file `archive_file` through staging in `depot` and commits
 * it below `into` (depot_install without its checks for leftovers);
 * `replace` as for install_commit. */
int install_file(const char *depot, const char *into,
                 const struct depot_name *name, const char *archive_file,
                 const struct depot_limits *limits, int replace,
                 struct depot_diag *diag);
/* <depot>/.pending: where a closure install keeps the pkgs it fetched
 * until every archive of their closure is installed. Invariant: a pkg in
 * the depot proper has its whole closure installed (list, deps and verify
 * see only the depot proper). */
int install_pending_dir(const char *depot, char out[PATH_MAX],
                        struct depot_diag *diag);
/* Opens and flocks (shared) <depot>/.pending.lock for a closure install,
 * so that depot_pending_cleanup leaves the pending area alone meanwhile;
 * close *fd to release it. */
int install_pending_lock(const char *depot, int *fd, struct depot_diag *diag);
/* Moves pkg `name` from the pending area into the depot: manifest, then
 * content (the install). Nothing to do when it is installed already;
 * DEPOT_E_NOT_INSTALLED when it is in neither place. */
int install_promote(const char *depot, const struct depot_name *name,
                    struct depot_diag *diag);

#endif
