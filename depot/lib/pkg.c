/*
 * The two files a pkg archive adds to its content: `archives` (one archive
 * name per line) and `runtime` (JSON, what init needs to start the pkg's
 * component). Both are read from untrusted archives and recipes, so every
 * malformation is refused with the offending key or line named.
 *
 * runtime, all keys optional except binary, ram and caps; unknown keys are
 * refused so that a typo is not silently ignored:
 *   binary    string, the ROM name of the executable
 *   ram       string "<digits>[K|M|G]" or a positive integer of bytes
 *   caps      positive integer
 *   config    object, the component's initial config
 *   requires  array of service names (strings)
 *   provides  array of service names (strings)
 *   roms      array of ROM names (strings)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diag.h"

static int ram_valid(const cJSON *ram)
{
	if (cJSON_IsNumber(ram))
		return ram->valuedouble >= 1 && ram->valuedouble < 1e15 &&
		       ram->valuedouble == (double)(long long)ram->valuedouble;
	if (!cJSON_IsString(ram))
		return 0;
	const char *s = ram->valuestring;
	size_t digits = strspn(s, "0123456789");
	if (digits == 0 || digits > 12 || strtoull(s, NULL, 10) == 0)
		return 0;
	return s[digits] == '\0' ||
	       (strchr("KMG", s[digits]) && s[digits + 1] == '\0');
}

static int string_array_valid(const cJSON *array)
{
	if (!cJSON_IsArray(array))
		return 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, array)
		if (!cJSON_IsString(item) || item->valuestring[0] == '\0')
			return 0;
	return 1;
}

/* One key of the runtime object: known, and of the right shape? */
static int check_key(const cJSON *item, struct depot_diag *diag)
{
	const char *key = item->string;
	if (strcmp(key, "binary") == 0) {
		if (!cJSON_IsString(item) || !item->valuestring[0])
			return diag_set(diag, DEPOT_E_RUNTIME, key,
			                "must be a non-empty string");
	} else if (strcmp(key, "ram") == 0) {
		if (!ram_valid(item))
			return diag_set(diag, DEPOT_E_RUNTIME, key, "must be "
			                "a size like \"2M\" or a positive integer");
	} else if (strcmp(key, "caps") == 0) {
		if (!cJSON_IsNumber(item) || item->valuedouble < 1 ||
		    item->valuedouble > 1e9 ||
		    item->valuedouble != (double)item->valueint)
			return diag_set(diag, DEPOT_E_RUNTIME, key,
			                "must be a positive integer");
	} else if (strcmp(key, "config") == 0) {
		if (!cJSON_IsObject(item))
			return diag_set(diag, DEPOT_E_RUNTIME, key,
			                "must be an object");
	} else if (strcmp(key, "requires") == 0 ||
	           strcmp(key, "provides") == 0 || strcmp(key, "roms") == 0) {
		if (!string_array_valid(item))
			return diag_set(diag, DEPOT_E_RUNTIME, key, "must be an "
			                "array of non-empty strings");
	} else {
		return diag_set(diag, DEPOT_E_RUNTIME, key, "unknown key "
		                "(known: binary, ram, caps, config, requires, "
		                "provides, roms)");
	}
	return DEPOT_OK;
}

int depot_runtime_validate(const char *json, size_t length,
                           struct depot_diag *diag)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(json, length, &end, 0);
	while (root && end < json + length && isspace((unsigned char)*end))
		end++;
	if (root && end != json + length) {
		cJSON_Delete(root);
		root = NULL; /* text after the JSON value */
	}
	if (!root) {
		size_t at = end ? (size_t)(end - json) : 0;
		return diag_set(diag, DEPOT_E_RUNTIME, "runtime",
		                "not valid JSON near byte %zu", at);
	}
	int err = DEPOT_OK;
	if (!cJSON_IsObject(root))
		err = diag_set(diag, DEPOT_E_RUNTIME, "runtime",
		               "must be a JSON object");
	const cJSON *item;
	if (!err)
		cJSON_ArrayForEach(item, root) {
			err = check_key(item, diag);
			if (err)
				break;
		}
	static const char *const required[] = { "binary", "ram", "caps" };
	for (size_t i = 0; !err && i < 3; i++)
		if (!cJSON_GetObjectItemCaseSensitive(root, required[i]))
			err = diag_set(diag, DEPOT_E_RUNTIME, required[i],
			               "is required");
	cJSON_Delete(root);
	return err;
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
