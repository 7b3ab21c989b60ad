/*
 * Filling diagnostics: the subject (what the error is about) and a detail
 * (why, or what to do). Both are truncated to their fixed buffers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

int diag_set(struct depot_diag *diag, int code, const char *subject,
             const char *detail_fmt, ...)
{
	if (!diag)
		return code;
	snprintf(diag->subject, sizeof diag->subject, "%s",
	         subject ? subject : "");
	diag->detail[0] = '\0';
	if (detail_fmt) {
		va_list ap;
		va_start(ap, detail_fmt);
		vsnprintf(diag->detail, sizeof diag->detail, detail_fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
		va_end(ap);
	}
	return code;
}

int diag_errno(struct depot_diag *diag, const char *subject)
{
	int saved = errno;
	if (saved == ENOMEM)
		return diag_set(diag, DEPOT_E_NOMEM, subject, NULL);
	return diag_set(diag, DEPOT_E_IO, subject, "%s", strerror(saved));
}
