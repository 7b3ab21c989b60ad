/*
 * Archive names: user/kind/name/version, and user/bin/arch/name/version for
 * binaries. A name is also the archive's path inside a depot and below a
 * mirror, so every part is restricted to a safe character set.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"

int depot_part_valid(const char *part)
{
	size_t n = strlen(part);
	if (n == 0 || n >= DEPOT_PART_MAX || part[0] == '.')
		return 0;
	return strspn(part, "abcdefghijklmnopqrstuvwxyz"
	                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == n;
}

int depot_kind_valid(const char *kind)
{
	static const char *const kinds[] = { "src", "api", "raw", "pkg",
		                             "bin" };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

/* Splits `text` at '/' into at most `max` parts of a scratch copy. */
static size_t split(char *scratch, char *parts[], size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *p = strtok_r(scratch, "/", &save); p;
	     p = strtok_r(NULL, "/", &save)) {
		if (n == max)
			return max + 1;
		parts[n++] = p;
	}
	return n;
}

int depot_name_parse(const char *text, struct depot_name *out,
                     struct depot_diag *diag)
{
	char scratch[DEPOT_NAME_MAX];
	char *parts[5];
	if (strlen(text) >= sizeof scratch || strstr(text, "//") ||
	    text[0] == '/' || (text[0] && text[strlen(text) - 1] == '/'))
		return diag_set(diag, DEPOT_E_NAME, text,
		                "expected user/kind/name/version");
	strcpy(scratch, text); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): text is checked to fit scratch above
	size_t n = split(scratch, parts, 5);
	memset(out, 0, sizeof *out);
	int bin = n >= 2 && strcmp(parts[1], "bin") == 0;
	if (n != (bin ? 5u : 4u) || !depot_kind_valid(parts[1]))
		return diag_set(
			diag, DEPOT_E_NAME, text,
			bin ? "expected user/bin/arch/name/version"
			    : "expected user/{src,api,raw,pkg}/name/version");
	for (size_t i = 0; i < n; i++)
		if (!depot_part_valid(parts[i]))
			return diag_set(
				diag, DEPOT_E_NAME, text,
				"part '%s' is empty, starts with '.' or "
				"has characters outside [A-Za-z0-9._+-]",
				parts[i]);
	strcpy(out->user, parts[0]); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): depot_part_valid bounds each part below DEPOT_PART_MAX
	strcpy(out->kind, parts[1]); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): depot_kind_valid admits only kinds that fit
	size_t i = 2;
	if (bin)
		strcpy(out->arch, parts[i++]); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): depot_part_valid bounds each part below DEPOT_PART_MAX
	strcpy(out->name, parts[i++]); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): depot_part_valid bounds each part below DEPOT_PART_MAX
	strcpy(out->version, parts[i]); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): depot_part_valid bounds each part below DEPOT_PART_MAX
	return DEPOT_OK;
}

void depot_name_format(const struct depot_name *name, char out[DEPOT_NAME_MAX])
{
	if (name->arch[0])
		snprintf(out, DEPOT_NAME_MAX, "%s/%s/%s/%s/%s", name->user,
		         name->kind, name->arch, name->name, name->version);
	else
		snprintf(out, DEPOT_NAME_MAX, "%s/%s/%s/%s", name->user,
		         name->kind, name->name, name->version);
}
