/*
 * Private helpers of libdepot for filling a struct depot_diag (which may be
 * NULL) and returning the code in one statement.
 */
#ifndef DEPOT_DIAG_H
#define DEPOT_DIAG_H

#include "depot/depot.h"

/* Sets subject and (printf-style) detail; returns code. */
int diag_set(struct depot_diag *diag, int code, const char *subject,
             const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));
/* DEPOT_E_IO with strerror(errno) as detail. */
int diag_errno(struct depot_diag *diag, const char *subject);

#endif
