/*
 * Errors of libsculpt and the sculpt tool: every function returns 0 or a
 * SCULPT_E_* code and fills a struct sculpt_diag with the words a person
 * acts on (lowercase, no final full stop, the subject in single quotes).
 * The tool prints "sculpt: <message>" (the message says what went wrong;
 * the code is for callers that branch on it). A libdepot error is carried over with
 * sculpt_depot_fail(), which keeps libdepot's words.
 */
#ifndef SCULPT_DIAG_H
#define SCULPT_DIAG_H

#include "depot/depot.h"

enum sculpt_error {
	SCULPT_OK = 0,
	SCULPT_E_NOMEM = 2000, /* out of memory */
	SCULPT_E_IO,           /* a file of the target could not be used */
	SCULPT_E_COMPOSITION,  /* composition.json is not valid */
	SCULPT_E_COMPONENT,    /* no component of that name, or one exists */
	SCULPT_E_ROUTE,        /* a service has no or no single provider */
	SCULPT_E_PKG,          /* a pkg is not installed or not valid */
	SCULPT_E_CONFIG,       /* the generated configuration is refused */
	SCULPT_E_GENERATION,   /* no such generation */
	SCULPT_E_DEPOT,        /* libdepot refused (message says why) */
	SCULPT_E_USAGE,        /* wrong arguments */
	SCULPT_E_LAST
};

enum { SCULPT_DIAG_MAX = 2048 };

struct sculpt_diag {
	char message[SCULPT_DIAG_MAX];
};

/* Sets diag's message from the format (if diag is not NULL); returns code. */
int sculpt_fail(struct sculpt_diag *diag, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Carries a libdepot error (code, what it is about) over into diag;
 * returns SCULPT_E_DEPOT. */
int sculpt_depot_fail(struct sculpt_diag *diag, int code,
                      const struct depot_diag *about);

#endif
