/*
 * One entry of the runtime configuration's "start" list: a child of init with
 * its binary or pkg, quota, provided services, routes and config. Part of
 * libformat's parser; it checks the entry on its own, while references.c
 * checks what depends on the other entries (unique names, route targets).
 */
#include "parse_context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool read_name(struct parse_context *ctx, const cJSON *value,
                      void *target)
{
	/* Read before the other fields (parse_child), so nothing is left to do. */
	return true;
}

static bool read_binary(struct parse_context *ctx, const cJSON *value,
                        void *target)
{
	return parse_string(ctx, value, "binary", RUNTIME_ROM_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false,
	                    &((struct runtime_child *)target)->binary);
}

/* Whether `pkg` has the form user/pkg/name/version, each part a name. */
static bool pkg_path_is_valid(const char *pkg)
{
	char copy[RUNTIME_PKG_MAX + 1];
	char *parts[5] = { 0 };
	size_t count = 0;
	char *save = NULL;

	snprintf(copy, sizeof(copy), "%s", pkg);
	if (pkg[0] == '/' || pkg[strlen(pkg) - 1] == '/' ||
	    strstr(pkg, "//") != NULL)
		return false;
	for (char *part = strtok_r(copy, "/", &save); part != NULL && count < 5;
	     part = strtok_r(NULL, "/", &save))
		parts[count++] = part;
	if (count != 4 || strcmp(parts[1], "pkg") != 0)
		return false;
	for (size_t i = 0; i < count; i++)
		if (!parse_text_is_valid(parts[i], RUNTIME_PKG_MAX,
		                         CHARSET_SERVICE_NAME))
			return false;
	return true;
}

bool parse_pkg_path(struct parse_context *ctx, const cJSON *value, char **out)
{
	if (!parse_string(ctx, value, "pkg", RUNTIME_PKG_MAX, CHARSET_PRINTABLE,
	                  false, out))
		return false;
	if (!pkg_path_is_valid(*out)) {
		char shown[PARSE_SHOWN_MAX];
		return parse_fail(
			ctx,
			"pkg \"%s\": not of the form \"user/pkg/name/version\"",
			parse_shown(*out, shown));
	}
	return true;
}

static bool read_pkg(struct parse_context *ctx, const cJSON *value,
                     void *target)
{
	return parse_pkg_path(ctx, value,
	                      &((struct runtime_child *)target)->pkg);
}

static bool read_ram(struct parse_context *ctx, const cJSON *value,
                     void *target)
{
	struct runtime_child *child = target;

	child->ram_given = true;
	return parse_size(ctx, value, "ram", &child->ram);
}

static bool read_caps(struct parse_context *ctx, const cJSON *value,
                      void *target)
{
	struct runtime_child *child = target;

	child->caps_given = true;
	return parse_uint(ctx, value, "caps", RUNTIME_CAPS_MAX, &child->caps);
}

static bool read_provides(struct parse_context *ctx, const cJSON *value,
                          void *target)
{
	struct runtime_child *child = target;

	child->provides_given = true;
	return parse_service_list(ctx, value, "provides", &child->provides);
}

static bool read_route(struct parse_context *ctx, const cJSON *value,
                       void *target)
{
	return parse_route_list(ctx, value, "route",
	                        &((struct runtime_child *)target)->route);
}

bool parse_config_text(struct parse_context *ctx, const cJSON *value,
                       char **out)
{
	if (!cJSON_IsObject(value))
		return parse_fail(ctx, "\"config\" must be an object");
	*out = cJSON_PrintUnformatted(value);
	if (*out == NULL)
		return parse_no_memory(ctx);
	if (strlen(*out) > RUNTIME_CONFIG_TEXT_MAX)
		return parse_fail(
			ctx,
			"\"config\" is longer than %d bytes as canonical JSON",
			RUNTIME_CONFIG_TEXT_MAX);
	return true;
}

static bool read_config(struct parse_context *ctx, const cJSON *value,
                        void *target)
{
	return parse_config_text(ctx, value,
	                         &((struct runtime_child *)target)->config);
}

static bool read_version(struct parse_context *ctx, const cJSON *value,
                         void *target)
{
	return parse_string(ctx, value, "version", RUNTIME_VERSION_MAX,
	                    CHARSET_PRINTABLE, false,
	                    &((struct runtime_child *)target)->version);
}

static bool read_restart(struct parse_context *ctx, const cJSON *value,
                         void *target)
{
	static const enum runtime_restart all[] = {
		RUNTIME_RESTART_NEVER,
		RUNTIME_RESTART_ON_FAILURE,
		RUNTIME_RESTART_ALWAYS,
	};
	char shown[PARSE_SHOWN_MAX];

	if (!cJSON_IsString(value))
		return parse_fail(
			ctx, "\"restart\" must be \"never\", \"on-failure\" or "
			     "\"always\"");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(value->valuestring, runtime_restart_word(all[i]))) {
			((struct runtime_child *)target)->restart = all[i];
			return true;
		}
	return parse_fail(ctx,
	                  "restart \"%s\": not \"never\", \"on-failure\" or "
	                  "\"always\"",
	                  parse_shown(value->valuestring, shown));
}

static bool read_restart_after_skipped(struct parse_context *ctx,
                                       const cJSON *value, void *target)
{
	uint64_t n = 0;

	if (!parse_uint(ctx, value, "restart_after_skipped",
	                RUNTIME_SKIPPED_MAX, &n))
		return false;
	if (n == 0)
		return parse_fail(
			ctx, "\"restart_after_skipped\" must be at least 1 "
			     "(leave it out to never restart)");
	((struct runtime_child *)target)->restart_after_skipped = (uint32_t)n;
	return true;
}

static const struct parse_field child_fields[] = {
	{ "name", read_name },
	{ "binary", read_binary },
	{ "pkg", read_pkg },
	{ "ram", read_ram },
	{ "caps", read_caps },
	{ "provides", read_provides },
	{ "route", read_route },
	{ "config", read_config },
	{ "version", read_version },
	{ "restart", read_restart },
	{ "restart_after_skipped", read_restart_after_skipped },
};

static bool parse_child_name(struct parse_context *ctx, const cJSON *value,
                             char **out)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(value, "name");

	if (name == NULL)
		return parse_fail(ctx, "\"name\" is missing");
	if (!parse_string(ctx, name, "name", RUNTIME_NAME_MAX,
	                  CHARSET_CHILD_NAME, false, out))
		return false;
	if (strcmp(*out, "parent") == 0 || strcmp(*out, "any-child") == 0)
		return parse_fail(ctx,
		                  "name \"%s\" is reserved for route targets",
		                  *out);
	return true;
}

static bool parse_child_fields(struct parse_context *ctx, const cJSON *value,
                               struct runtime_child *child)
{
	if (!parse_object_fields(ctx, value, child_fields,
	                         sizeof(child_fields) / sizeof(child_fields[0]),
	                         child))
		return false;
	if (child->binary == NULL && child->pkg == NULL)
		return parse_fail(ctx, "needs \"binary\" or \"pkg\"");
	if (child->pkg != NULL)
		return true; /* the pkg's runtime file gives what is missing */
	if (!child->ram_given)
		return parse_fail(
			ctx,
			"\"ram\" is missing (bytes, or a size like \"2M\")");
	if (!child->caps_given)
		child->caps = RUNTIME_DEFAULT_CAPS;
	child->caps_given = child->provides_given = true;
	return true;
}

bool parse_child(struct parse_context *ctx, const cJSON *value, size_t index,
                 struct runtime_child *child)
{
	size_t previous = parse_enter(ctx, "start[%zu]", index);

	if (!cJSON_IsObject(value))
		return parse_fail(ctx, "a start entry must be an object");
	if (!parse_child_name(ctx, value, &child->name))
		return false;
	parse_leave(ctx, previous);
	parse_enter(ctx, "start[%zu] \"%s\"", index, child->name);
	if (!parse_child_fields(ctx, value, child))
		return false;
	parse_leave(ctx, previous);
	return true;
}
