/*
 * The depot archives of a running riscv target (issue 15 item 4): core
 * on riscv reads no TARGET/depot, so what sculpt installs reaches its
 * machine over the control channel, each archive as an `archive` frame
 * (kernel/riscv/tool/control_frame.h; core/riscv/control_archive.c),
 * after which init finds it as linux init finds a newly installed one.
 *
 * What the machine has is TARGET/sculpt/machine (lib/machine.h): the
 * boot image's archives, recorded when `sculpt boot --platform
 * qemu-riscv64` starts it, and each archive pushed since. An archive is
 * pushed when a pkg whose closure holds it is installed for riscv64
 * (install, update) or is to run (apply, rollback), and the machine
 * lacks it: the pkg archive, its raw archives and its riscv64 bin
 * archives (core serves no src or api archive). One that is not
 * installed is not pushed: init reports the child that needs it
 * incomplete, as linux init does, and apply rolls back. Each is checked against
 * its manifest first, all of a pkg's together must fit what core keeps
 * (counts, sizes, MACHINE_PUSHED_BYTES_MAX) before the first is pushed,
 * and each is recorded only once core said on its console, which
 * riscv-console writes into TARGET/log/core.log, that it took it
 * (`control: archive 'A' pushed, ...`); a refusal, in core's words, or
 * no answer within TARGET_ARCHIVES_ANSWER_S is an error and nothing of
 * that archive is recorded. A lock (TARGET/sculpt/machine.lock) keeps two
 * sculpts from pushing at once, so the answer read is the one to the
 * frame written.
 */
#ifndef SCULPT_TARGET_ARCHIVES_H
#define SCULPT_TARGET_ARCHIVES_H

#include "lib/machine.h"
#include "sculpt.h"
#include "target_control.h"

/* The arch of a riscv target's bin archives (boot_riscv.c boots with
 * them, this file pushes them). */
#define RV_ARCH "riscv64"

/* How long core may take to answer a pushed archive (its bytes come by
 * DMA, 1 MiB in about 0.3 s, and are hashed on the target). */
#define TARGET_ARCHIVES_ANSWER_S 30

/* Calls fn for every archive of the closure for riscv64 of each pkg
 * child of `config` (the archives its image or its machine needs for
 * the config to run); with `installed_only` what of a closure cannot be
 * read (a pkg not installed, or not whole) is left out: init reports
 * the child incomplete, naming what it lacks. */
int target_archives_of_config(const char *depot,
                              const struct runtime_config *config,
                              int installed_only, depot_archive_fn fn,
                              void *ctx, struct sculpt_diag *diag);

/* Records, for the machine about to boot, the archives its boot image
 * holds as depot ROMs (TARGET/sculpt/machine made anew). */
int target_archives_booted(const char *target,
                           const struct machine_record *image,
                           struct sculpt_diag *diag);

/* Pushes to the running machine of channel c every archive of pkg
 * `pkg`'s closure (user/pkg/name/version, installed for riscv64) that it
 * lacks, as above, saying each on stdout; nothing when c->fd is -1. */
int target_archives_push(struct sculpt *s, struct target_control *c,
                         const char *pkg, struct sculpt_diag *diag);

/* The same for every pkg child of `config`. */
int target_archives_push_config(struct sculpt *s, struct target_control *c,
                                const struct runtime_config *config,
                                struct sculpt_diag *diag);

#endif
