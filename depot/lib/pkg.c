/*
 * The two files a pkg archive adds to its content: `archives` (one archive
 * name per line) and `runtime` (JSON, what init needs to start the pkg's
 * component). Both are read from untrusted archives and recipes, so every
 * malformation is refused with the offending key or line named.
 *
 * The runtime file is specified once, for the depot and for init, in
 * libformat (format/pkg_runtime.h, runtime/format/README.md): this file only
 * turns libformat's verdict into a depot error, with libformat's message as
 * the detail, word for word.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/pkg_runtime.h"

#include "diag.h"

int depot_runtime_validate(const char *json, size_t length,
                           struct depot_diag *diag)
{
	struct runtime_config_error error;
	enum runtime_config_status status =
		pkg_runtime_parse(json, length, NULL, &error);
	if (status == RUNTIME_CONFIG_NO_MEMORY)
		return diag_set(diag, DEPOT_E_NOMEM, "runtime", NULL);
	if (status != RUNTIME_CONFIG_OK)
		return diag_set(diag, DEPOT_E_RUNTIME, "runtime", "%s",
		                error.message);
	return DEPOT_OK;
}

/* Trims spaces at both ends of a line in place. */
static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int depot_archives_parse(const char *text, size_t length,
                         depot_archive_fn fn, void *ctx,
                         struct depot_diag *diag)
{
	char *copy = malloc(length + 1);
	if (!copy)
		return diag_set(diag, DEPOT_E_NOMEM, "archives", NULL);
	memcpy(copy, text, length);
	copy[length] = '\0';
	int err = strlen(copy) != length
	          ? diag_set(diag, DEPOT_E_ARCHIVES_LIST, "archives",
	                     "contains a NUL byte") : DEPOT_OK;
	char *cursor = copy;
	unsigned line_no = 0;
	for (char *line = err ? NULL : strsep(&cursor, "\n");
	     !err && line; line = strsep(&cursor, "\n")) {
		line_no++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		struct depot_name name;
		struct depot_diag inner;
		if (depot_name_parse(s, &name, &inner))
			err = diag_set(diag, DEPOT_E_ARCHIVES_LIST, s,
			               "line %u: %s", line_no, inner.detail);
		else
			err = fn(ctx, &name);
	}
	free(copy);
	return err;
}
