/*
 * `sculpt depot info PKG` for a pkg the target has not installed
 * (remote_info.c): what the depot user's signed metadata says about it.
 */
#ifndef SCULPT_REMOTE_INFO_H
#define SCULPT_REMOTE_INFO_H

#include "sculpt.h"

/* Prints pkg `text` (user/pkg/name[/version]; without a version the
 * newest signed one) as its depot user's verified TUF metadata describes
 * it: the signed versions with their lengths, the pkg's runtime file, and
 * its closure with each archive's signed length and unpacked size. Only
 * the pkgs of the closure are fetched (verified, into a scratch depot
 * that is removed again); nothing enters the target's depot but the
 * refreshed metadata. */
int remote_info(struct sculpt *s, const char *text, struct sculpt_diag *diag);

#endif
