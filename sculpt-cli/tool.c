/*
 * What the sculpt verbs share (sculpt.h): error printing, the target's
 * depot as the source of pkg runtime files and of installed pkg names,
 * and the configuration the target runs. deploy.c holds the transaction.
 */
#include "sculpt.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/state.h"

int sculpt_report(const struct sculpt_diag *diag)
{
	fprintf(stderr, "sculpt: %s\n", diag->message);
	return 1;
}

void sculpt_depot_dir(const struct sculpt *s, char out[PATH_MAX])
{
	snprintf(out, PATH_MAX, "%s/depot", s->target);
}

/* A pkg_runtime_fn: TARGET/depot/<pkg>/runtime, read as core reads the
 * target's depot (depot_read_installed: resolved by the kernel beneath
 * depot/, no symbolic link followed, a regular file of at most
 * RUNTIME_CONFIG_INPUT_MAX bytes): the file came in an archive. */
static int load_runtime(void *ctx, const char *pkg, struct pkg_runtime **out,
                        struct sculpt_diag *diag)
{
	const struct sculpt *s = ctx;
	struct runtime_config_error error;
	struct depot_diag about;
	char depot[PATH_MAX], path[PATH_MAX], *text = NULL;
	size_t length = 0;
	int err;

	sculpt_depot_dir(s, depot);
	if (snprintf(path, sizeof(path), "%s/runtime", pkg) >=
	    (int)sizeof(path))
		return sculpt_fail(diag, SCULPT_E_PKG, "pkg name '%s' too long",
		                   pkg);
	err = depot_read_installed(depot, path, RUNTIME_CONFIG_INPUT_MAX, &text,
	                           &length, &about);
	if (err == DEPOT_E_NOT_INSTALLED)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "pkg '%s' is not installed in "
		                   "target '%s': sculpt install %s",
		                   pkg, s->target, pkg);
	if (err)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "pkg '%s': runtime file "
		                   "refused: %s: %s",
		                   pkg, about.subject,
		                   about.detail[0] ? about.detail
		                                   : depot_strerror(err));
	err = pkg_runtime_parse(text, length, out, &error);
	free(text);
	if (err)
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "pkg '%s': invalid runtime "
		                   "file: %s",
		                   pkg, error.message);
	return 0;
}

struct pkg_source sculpt_pkg_source(struct sculpt *s)
{
	return (struct pkg_source){ load_runtime, s };
}

int sculpt_running(const struct sculpt *s, struct runtime_config **out,
                   struct sculpt_diag *diag)
{
	struct runtime_config_error error;
	char path[PATH_MAX], *text = NULL;
	size_t length = 0;
	bool missing = false;
	int err;

	*out = NULL;
	err = state_path(s->target, "config/init.config", path, diag);
	if (!err)
		err = state_read(path, RUNTIME_CONFIG_INPUT_MAX, &text, &length,
		                 &missing, diag);
	if (err)
		return missing ? 0 : err;
	err = runtime_config_parse(text, length, out, &error);
	free(text);
	if (err)
		return sculpt_fail(diag, SCULPT_E_CONFIG, "'%s' is invalid: %s",
		                   path, error.message);
	return 0;
}

int sculpt_installed_pkg(const struct sculpt *s, const char *text,
                         char out[DEPOT_NAME_MAX], struct sculpt_diag *diag)
{
	struct depot_name name;
	struct depot_diag about;
	char dir[PATH_MAX];
	DIR *versions;
	struct dirent *entry;

	if (depot_name_parse(text, &name, &about) == 0) {
		if (strcmp(name.kind, "pkg") != 0)
			return sculpt_fail(diag, SCULPT_E_PKG,
			                   "'%s' is not a pkg", text);
		depot_name_format(&name, out);
		return 0;
	}
	if (snprintf(dir, sizeof(dir), "%s/depot/%s", s->target, text) >=
	            (int)sizeof(dir) ||
	    strstr(text, "/pkg/") == NULL || strstr(text, "..") ||
	    !(versions = opendir(dir)))
		return sculpt_fail(diag, SCULPT_E_PKG,
		                   "no pkg '%s' installed in "
		                   "target '%s': sculpt install %s",
		                   text, s->target, text);
	out[0] = '\0';
	while ((entry = readdir(versions))) {
		char candidate[DEPOT_NAME_MAX];

		if (entry->d_type != DT_DIR ||
		    !depot_part_valid(entry->d_name) ||
		    snprintf(candidate, sizeof(candidate), "%s/%s", text,
		             entry->d_name) >= (int)sizeof(candidate) ||
		    depot_name_parse(candidate, &name, &about))
			continue;
		if (!out[0] || strcmp(candidate, out) > 0)
			memcpy(out, candidate, sizeof(candidate));
	}
	closedir(versions);
	if (!out[0])
		return sculpt_fail(
			diag, SCULPT_E_PKG,
			"no version of pkg '%s' is "
			"installed in target '%s': sculpt install %s",
			text, s->target, text);
	return 0;
}
