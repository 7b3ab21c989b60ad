/*
 * The words of sculpt's errors (diag.h): one table of code names, and the
 * helpers that fill a diagnostic, also from a libdepot error.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const words[] = {
	[SCULPT_E_NOMEM - SCULPT_E_NOMEM] = "out of memory",
	[SCULPT_E_IO - SCULPT_E_NOMEM] = "cannot use a file of the target",
	[SCULPT_E_COMPOSITION - SCULPT_E_NOMEM] = "invalid composition",
	[SCULPT_E_COMPONENT - SCULPT_E_NOMEM] = "component problem",
	[SCULPT_E_ROUTE - SCULPT_E_NOMEM] = "a service cannot be routed",
	[SCULPT_E_PKG - SCULPT_E_NOMEM] = "pkg problem",
	[SCULPT_E_CONFIG - SCULPT_E_NOMEM] = "the configuration is refused",
	[SCULPT_E_GENERATION - SCULPT_E_NOMEM] = "no such generation",
	[SCULPT_E_DEPOT - SCULPT_E_NOMEM] = "depot problem",
	[SCULPT_E_USAGE - SCULPT_E_NOMEM] = "wrong usage",
};

const char *sculpt_strerror(int code)
{
	if (code == SCULPT_OK)
		return "success";
	if (code < SCULPT_E_NOMEM || code >= SCULPT_E_LAST)
		return "unknown error";
	return words[code - SCULPT_E_NOMEM];
}

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
