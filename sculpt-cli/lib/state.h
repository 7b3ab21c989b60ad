/*
 * The sculpt state directory of a target, TARGET/sculpt/ (sculpt-cli/
 * README.md, "The sculpt state directory"), and the target's files sculpt
 * writes:
 *   TARGET/sculpt/composition.json      what the user composed (working copy)
 *   TARGET/sculpt/generations/N/        generation N, as applied:
 *       composition.json, init.config   (never changed once written)
 *   TARGET/sculpt/current               "N\n": the generation applied last
 *   TARGET/sculpt/depots.json           the depot users (depots.h)
 *   TARGET/config/init.config           what init reads
 * Every file is replaced atomically (a temporary file beside it, fsync,
 * rename), and a generation's directory appears complete or not at all, so
 * a killed sculpt leaves the old state or the new one, never a mix.
 */
#ifndef SCULPT_STATE_H
#define SCULPT_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "composition.h"

/* TARGET/<relative> into out; SCULPT_E_IO when it does not fit. */
int state_path(const char *target, const char *relative, char out[PATH_MAX],
               struct sculpt_diag *diag);

/* Reads a whole file of at most `max` bytes (NUL-terminated, for free).
 * A missing file sets *missing (when not NULL) and returns SCULPT_E_IO. */
int state_read(const char *path, size_t max, char **text, size_t *length,
               bool *missing, struct sculpt_diag *diag);

/* Replaces `path` with `length` bytes atomically, making its directory. */
int state_write(const char *path, const char *text, size_t length,
                struct sculpt_diag *diag);

/* The working composition; a target without one gets an empty one whose
 * parent_provides are those of TARGET/config/init.config, else core's
 * services (ROM, LOG, PD, CPU, RM). */
int state_load_composition(const char *target, struct sculpt_composition **out,
                           struct sculpt_diag *diag);
int state_save_composition(const char *target,
                           const struct sculpt_composition *composition,
                           struct sculpt_diag *diag);

/* The generation applied last (0: none yet). */
int state_current(const char *target, unsigned *generation,
                  struct sculpt_diag *diag);

/* The newest generation below `below` (0: none), for rollback. */
int state_previous(const char *target, unsigned below, unsigned *generation,
                   struct sculpt_diag *diag);

/* The newest generation recorded (0: none). */
int state_newest(const char *target, unsigned *generation,
                 struct sculpt_diag *diag);

/* Records generation `generation` (the newest + 1) with both texts;
 * refused when it exists. Does not move `current`. */
int state_record(const char *target, unsigned generation,
                 const char *composition, const char *config,
                 struct sculpt_diag *diag);

/* Takes back generation `generation` that state_record recorded but
 * that never ran (its delivery failed): gone at once (a rename), then
 * removed. */
int state_forget(const char *target, unsigned generation,
                 struct sculpt_diag *diag);

/* Reads generation `n`'s texts (for free). SCULPT_E_GENERATION when it
 * does not exist. */
int state_generation(const char *target, unsigned n, char **composition,
                     char **config, struct sculpt_diag *diag);

int state_set_current(const char *target, unsigned generation,
                      struct sculpt_diag *diag);

#endif
