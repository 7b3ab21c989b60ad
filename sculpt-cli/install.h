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

/* The arch of the target's bin archives: riscv64 on a target booted with
 * 'sculpt boot --platform qemu-riscv64' (it records a control channel,
 * target_control.h), else the host's. */
const char *install_target_arch(const struct sculpt *s);

/* After installing pkg `pkg` (with its version) for `arch`: on a riscv
 * target for riscv64 whose machine runs, every archive of the pkg's
 * closure it lacks is pushed to it (target_archives.h); on one that is
 * not running a line says that the archives wait in TARGET/depot for its
 * next boot. Nothing for another target or arch. */
int install_push(struct sculpt *s, const char *pkg, const char *arch,
                 struct sculpt_diag *diag);

#endif
