/*
 * Archive names (archive_name.h): a linear split at '/', each part checked
 * against the part rule, the kind against the known kinds.
 */
#include "archive_name.h"

#include <runtime/str.h>

#include <stdio.h>
#include <string.h>

static int part_ok(const char *part, size_t len)
{
	if (len == 0 || len > ARCHIVE_PART_MAX || part[0] == '.')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = part[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

static int kind_known(const char *kind)
{
	static const char *const kinds[] = { "src", "api", "raw", "pkg",
		                             "bin" };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

/* Splits `text` into at most 5 parts, each checked; returns their number,
 * or -1 when a part breaks the rule or there are more than 5. */
static int split(const char *text, char parts[5][ARCHIVE_PART_MAX + 1])
{
	int n = 0;
	const char *at = text;
	for (;;) {
		const char *slash = strchr(at, '/');
		size_t len = slash ? (size_t)(slash - at) : strlen(at);
		if (n == 5 || !part_ok(at, len))
			return -1;
		memcpy(parts[n], at, len);
		parts[n++][len] = '\0';
		if (!slash)
			return n;
		at = slash + 1;
	}
}

int archive_name_parse(const char *text, struct archive_name *out,
                       const char **why)
{
	char parts[5][ARCHIVE_PART_MAX + 1];
	memset(out, 0, sizeof(*out));
	int n = split(text, parts);
	if (n < 0) {
		*why = "an archive name has parts of 1 to 64 characters of "
		       "[A-Za-z0-9_.-], none starting with '.'";
		return -1;
	}
	int bin = n >= 2 && strcmp(parts[1], "bin") == 0;
	if (n < 4 || !kind_known(parts[1]) || n != (bin ? 5 : 4)) {
		*why = "an archive name is user/kind/name/version or "
		       "user/bin/arch/name/version (kinds src, api, raw, pkg, bin)";
		return -1;
	}
	int i = 0;
	str_copy(out->user, parts[i++], sizeof(out->user));
	str_copy(out->kind, parts[i++], sizeof(out->kind));
	if (bin)
		str_copy(out->arch, parts[i++], sizeof(out->arch));
	str_copy(out->name, parts[i++], sizeof(out->name));
	str_copy(out->version, parts[i], sizeof(out->version));
	return 0;
}

int archive_name_check_served(const char *text, const char **why)
{
	struct archive_name name;
	if (archive_name_parse(text, &name, why) != 0)
		return -1;
	if (strcmp(name.kind, "src") == 0 || strcmp(name.kind, "api") == 0) {
		*why = "core serves files of bin, raw and pkg archives only, "
		       "not of src or api archives";
		return -1;
	}
	return 0;
}

void archive_name_format(const struct archive_name *name, char *out)
{
	if (name->arch[0])
		snprintf(out, ARCHIVE_NAME_MAX + 1, "%s/%s/%s/%s/%s",
		         name->user, name->kind, name->arch, name->name,
		         name->version);
	else
		snprintf(out, ARCHIVE_NAME_MAX + 1, "%s/%s/%s/%s", name->user,
		         name->kind, name->name, name->version);
}
