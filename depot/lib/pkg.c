/*
 * The two files a pkg archive adds to its content: `archives` (one archive
 * name per line) and `runtime` (JSON, what init needs to start the pkg's
 * component). Both are read from untrusted archives and recipes, so every
 * malformation is refused with the offending key or line named.
 *
 * Both files are specified once, for the depot and for init, in libformat
 * (format/pkg_runtime.h, format/pkg_archives.h, runtime/format/README.md):
 * this file only turns libformat's verdict into a depot error, with
 * libformat's message as the detail, word for word.
 */
#include "format/pkg_archives.h"
#include "format/pkg_runtime.h"

#include "diag.h"

int depot_runtime_validate(const char *json, size_t length,
                           struct depot_diag *diag)
{
	struct runtime_config_error error;
	enum runtime_config_status status = pkg_runtime_parse(json, length,
	                                                      NULL, &error);
	if (status == RUNTIME_CONFIG_NO_MEMORY)
		return diag_set(diag, DEPOT_E_NOMEM, "runtime", NULL);
	if (status != RUNTIME_CONFIG_OK)
		return diag_set(diag, DEPOT_E_RUNTIME, "runtime", "%s",
		                error.message);
	return DEPOT_OK;
}

int depot_archives_parse(const char *text, size_t length, depot_archive_fn fn,
                         void *ctx, struct depot_diag *diag)
{
	struct runtime_config_error error;
	struct pkg_archives *list = NULL;
	enum runtime_config_status status = pkg_archives_parse(text, length,
	                                                       &list, &error);
	if (status == RUNTIME_CONFIG_NO_MEMORY)
		return diag_set(diag, DEPOT_E_NOMEM, "archives", NULL);
	if (status != RUNTIME_CONFIG_OK)
		return diag_set(diag, DEPOT_E_ARCHIVES_LIST, "archives", "%s",
		                error.message);
	int err = DEPOT_OK;
	for (size_t i = 0; !err && i < list->count; i++) {
		struct depot_name name;
		/* libformat checked the name with the depot's rules */
		err = depot_name_parse(list->entries[i].text, &name, diag);
		if (!err)
			err = fn(ctx, &name);
	}
	pkg_archives_free(list);
	return err;
}
