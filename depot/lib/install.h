/*
 * Private interface of the installer (install.c) for the streaming
 * installer (stream_install.c): the last step of every install, once an
 * archive is extracted into <staging>/content.
 */
#ifndef DEPOT_INSTALL_H
#define DEPOT_INSTALL_H

#include <stddef.h>

#include "depot/depot.h"
#include "staging.h"

/* Checks a pkg's runtime and archives files, writes the manifest (lines of
 * extract_safe) into the staging directory, and renames manifest and then
 * content into place: the content's rename installs the archive. */
int install_commit(const char *depot, const struct depot_name *name,
                   const struct staging *s, char *manifest_text,
                   size_t manifest_length, struct depot_diag *diag);

#endif
