/*
 * `depot download`: a pkg and its closure from a published TUF
 * repository. Refreshes and verifies the repository's metadata
 * (trust.c), resolves the pkg's version from the user's signed targets
 * when none is given, then installs the closure with install_closure.c,
 * whose every archive is fetched from <mirror>/targets/ against the
 * length and sha256 that verified metadata gives (depot_trust_lookup) and
 * extracted only after it verified. A failure takes back what this call
 * installed, so a refused download leaves the depot as it found it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

#include "diag.h"

/* The installed archives, as sorted text, before the download began. */
struct snapshot {
	char (*names)[DEPOT_NAME_MAX];
	size_t count, capacity;
};

static int remember(void *ctx, const struct depot_name *name)
{
	struct snapshot *s = ctx;
	void *grown = grow_array(s->names, &s->capacity, s->count + 1,
	                         sizeof *s->names);
	if (!grown)
		return DEPOT_E_NOMEM;
	s->names = grown;
	depot_name_format(name, s->names[s->count++]);
	return DEPOT_OK;
}

struct undo {
	const struct snapshot *before;
	struct depot_name *added;
	size_t count, capacity;
};

static int was_there(const struct snapshot *s, const char *text)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->names[i], text) == 0)
			return 1;
	return 0;
}

static int note_added(void *ctx, const struct depot_name *name)
{
	struct undo *u = ctx;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	if (was_there(u->before, text))
		return DEPOT_OK;
	void *grown = grow_array(u->added, &u->capacity, u->count + 1,
	                         sizeof *u->added);
	if (!grown)
		return DEPOT_E_NOMEM;
	u->added = grown;
	u->added[u->count++] = *name;
	return DEPOT_OK;
}

/* Removes what was installed since `before`. */
static void take_back(const char *depot, const struct snapshot *before)
{
	struct undo u = { .before = before };
	struct depot_diag ignored = { 0 };
	if (depot_list(depot, note_added, &u, &ignored) == DEPOT_OK)
		for (size_t i = 0; i < u.count; i++)
			depot_remove(depot, &u.added[i], &ignored);
	free(u.added);
}

/* The same mirrors with "/targets" appended: where the archives are. */
static int target_mirrors(const struct depot_fetch_options *options, char **out,
                          struct depot_diag *diag)
{
	for (size_t i = 0; i < options->mirror_count; i++) {
		const char *m = options->mirrors[i];
		int length = (int)strlen(m);
		while (length > 0 && m[length - 1] == '/')
			length--;
		if (asprintf(&out[i], "%.*s/targets", length, m) < 0) {
			out[i] = NULL;
			return diag_set(diag, DEPOT_E_NOMEM, m, NULL);
		}
	}
	return DEPOT_OK;
}

static int install(const char *depot, struct depot_trust *trust,
                   struct depot_name *pkg, const char *arch,
                   const struct depot_fetch_options *options,
                   const struct depot_limits *limits, struct depot_diag *diag)
{
	char **mirrors = calloc(options->mirror_count, sizeof *mirrors);
	int err = mirrors ? target_mirrors(options, mirrors, diag)
	                  : diag_set(diag, DEPOT_E_NOMEM, depot, NULL);
	if (!err && !pkg->version[0])
		err = depot_trust_latest(trust, pkg, diag);
	if (!err) {
		struct depot_fetch_options targets = *options;
		targets.mirrors = (const char *const *)mirrors;
		err = depot_install_closure(depot, pkg, arch, &targets, limits,
		                            depot_trust_lookup, trust, diag);
	}
	for (size_t i = 0; mirrors && i < options->mirror_count; i++)
		free(mirrors[i]);
	free(mirrors);
	return err;
}

int depot_download(const char *depot, const char *repo, struct depot_name *pkg,
                   const char *arch, const struct depot_fetch_options *options,
                   const struct depot_limits *limits, struct depot_diag *diag)
{
	struct snapshot before = { 0 };
	struct depot_trust *trust = NULL;
	if (strcmp(pkg->kind, "pkg") != 0)
		return diag_set(diag, DEPOT_E_USAGE, pkg->name,
		                "download "
		                "takes a pkg: user/pkg/name[/version]");
	int err = depot_trust_open(&trust, depot, repo, options, 0, diag);
	if (!err)
		err = depot_list(depot, remember, &before, diag);
	if (!err) {
		err = install(depot, trust, pkg, arch, options, limits, diag);
		if (err)
			take_back(depot, &before);
	}
	depot_trust_free(trust);
	free(before.names);
	return err;
}
