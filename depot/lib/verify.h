/*
 * Private interface of verify.c for the closure installer: an installed
 * archive against its manifest alone, so that a damaged archive is found
 * (and fetched again) whatever else of its pkg's list is missing.
 */
#ifndef DEPOT_VERIFY_H
#define DEPOT_VERIFY_H

#include "depot/depot.h"

/* depot_verify() without a pkg's check that its listed archives are
 * installed: DEPOT_E_MODIFIED (or the error reading the manifest) when
 * the archive's content is not what its manifest says. */
int verify_content(const char *depot, const struct depot_name *name,
                   struct depot_diag *diag);

#endif
