/*
 * pkg_runtime_parse: libformat's parser of a pkg's `runtime` file
 * (format/pkg_runtime.h, runtime/format/README.md). It shares the runtime
 * configuration's pieces: the JSON text checks (json_text.c), sizes
 * (size.c), names and lists (parse_context.c) and a config's canonical text
 * (start_entry.c), so both documents accept the same values with the same words.
 * The model is handed out only when every field is valid.
 */
#include "format/pkg_runtime.h"

#include "parse_context.h"

#include <stdlib.h>
#include <string.h>

static bool read_binary(struct parse_context *ctx, const cJSON *value,
                        void *target)
{
	return parse_string(ctx, value, "binary", RUNTIME_ROM_NAME_MAX,
	                    CHARSET_SERVICE_NAME, false,
	                    &((struct pkg_runtime *)target)->binary);
}

static bool read_ram(struct parse_context *ctx, const cJSON *value,
                     void *target)
{
	struct pkg_runtime *runtime = target;

	if (!parse_size(ctx, value, "ram", &runtime->ram))
		return false;
	return runtime->ram > 0 ||
	       parse_fail(ctx, "\"ram\" must be more than 0 bytes");
}

static bool read_caps(struct parse_context *ctx, const cJSON *value,
                      void *target)
{
	struct pkg_runtime *runtime = target;

	if (!parse_uint(ctx, value, "caps", RUNTIME_CAPS_MAX, &runtime->caps))
		return false;
	return runtime->caps > 0 ||
	       parse_fail(ctx, "\"caps\" must be more than 0");
}

static bool read_config(struct parse_context *ctx, const cJSON *value,
                        void *target)
{
	return parse_config_text(ctx, value,
	                         &((struct pkg_runtime *)target)->config);
}

static bool read_requires(struct parse_context *ctx, const cJSON *value,
                          void *target)
{
	return parse_service_list(ctx, value, "requires",
	                          &((struct pkg_runtime *)target)->requires);
}

static bool read_provides(struct parse_context *ctx, const cJSON *value,
                          void *target)
{
	return parse_service_list(ctx, value, "provides",
	                          &((struct pkg_runtime *)target)->provides);
}

static bool read_roms(struct parse_context *ctx, const cJSON *value,
                      void *target)
{
	static const struct parse_name_kind roms = {
		"ROM",
		RUNTIME_ROM_NAME_MAX,
		PKG_RUNTIME_ROMS_MAX,
	};

	return parse_name_list(ctx, value, "roms", &roms,
	                       &((struct pkg_runtime *)target)->roms);
}

static const struct parse_field pkg_runtime_fields[] = {
	{ "binary", read_binary },     { "ram", read_ram },
	{ "caps", read_caps },         { "config", read_config },
	{ "requires", read_requires }, { "provides", read_provides },
	{ "roms", read_roms },
};

static bool parse_pkg_runtime_document(struct parse_context *ctx,
                                       const cJSON *json,
                                       struct pkg_runtime *runtime)
{
	if (!cJSON_IsObject(json))
		return parse_fail(ctx,
		                  "a pkg runtime file must be a JSON object");
	if (!parse_object_fields(ctx, json, pkg_runtime_fields,
	                         sizeof(pkg_runtime_fields) /
	                                 sizeof(pkg_runtime_fields[0]),
	                         runtime))
		return false;
	if (runtime->binary == NULL)
		return parse_fail(
			ctx,
			"\"binary\" is missing (the ROM name of the executable)");
	if (cJSON_GetObjectItemCaseSensitive(json, "ram") == NULL)
		return parse_fail(
			ctx,
			"\"ram\" is missing (bytes, or a size like \"2M\")");
	if (cJSON_GetObjectItemCaseSensitive(json, "caps") == NULL)
		return parse_fail(
			ctx,
			"\"caps\" is missing (a whole number of capabilities)");
	return true;
}

enum runtime_config_status pkg_runtime_parse(const char *text, size_t length,
                                             struct pkg_runtime **out,
                                             struct runtime_config_error *error)
{
	cJSON *json = NULL;

	if (out != NULL)
		*out = NULL;
	error->message[0] = '\0';
	enum runtime_config_status status = json_text_parse(text, length, &json,
	                                                    error);
	if (status != RUNTIME_CONFIG_OK)
		return status;
	struct pkg_runtime *runtime = calloc(1, sizeof(*runtime));
	struct parse_context ctx = { .where = "",
		                     .status = RUNTIME_CONFIG_OK,
		                     .error = error };
	if (runtime == NULL)
		parse_no_memory(&ctx);
	else if (!parse_pkg_runtime_document(&ctx, json, runtime) ||
	         out == NULL)
		pkg_runtime_free(runtime);
	else
		*out = runtime;
	cJSON_Delete(json);
	return ctx.status;
}

void pkg_runtime_free(struct pkg_runtime *runtime)
{
	if (runtime == NULL)
		return;
	free(runtime->binary);
	free(runtime->config);
	runtime_name_list_clear(&runtime->requires);
	runtime_name_list_clear(&runtime->provides);
	runtime_name_list_clear(&runtime->roms);
	free(runtime);
}
