/*
 * sculpt's errors (diag.h): the helpers that fill a diagnostic, also from
 * a libdepot error.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

int sculpt_fail(struct sculpt_diag *diag, int code, const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return code;
	va_start(ap, fmt);
	vsnprintf(diag->message, sizeof(diag->message), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): started just above
	va_end(ap);
	return code;
}

int sculpt_depot_fail(struct sculpt_diag *diag, int code,
                      const struct depot_diag *about)
{
	if (about->subject[0] && about->detail[0])
		return sculpt_fail(diag, SCULPT_E_DEPOT, "%s: '%s': %s",
		                   depot_strerror(code), about->subject,
		                   about->detail);
	if (about->subject[0])
		return sculpt_fail(diag, SCULPT_E_DEPOT, "%s: '%s'",
		                   depot_strerror(code), about->subject);
	return sculpt_fail(diag, SCULPT_E_DEPOT, "%s", depot_strerror(code));
}
