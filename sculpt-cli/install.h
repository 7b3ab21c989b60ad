/*
 * The install step of `sculpt install`, shared with `sculpt update`.
 */
#ifndef SCULPT_INSTALL_H
#define SCULPT_INSTALL_H

#include "sculpt.h"

/* Installs pkg `text` (user/pkg/name[/version]; without a version the
 * newest signed one) and its closure into the target's depot from its
 * depot user's mirrors; `installed` receives its name with the version. */
int install_pkg(struct sculpt *s, const char *text,
                char installed[DEPOT_NAME_MAX], struct sculpt_diag *diag);
/* The same for the bin archives of `arch` (riscv64 for `sculpt boot
 * --platform qemu-riscv64`) instead of the host's. */
int install_pkg_for(struct sculpt *s, const char *text, const char *arch,
                    char installed[DEPOT_NAME_MAX], struct sculpt_diag *diag);

#endif
